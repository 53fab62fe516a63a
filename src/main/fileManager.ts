/**
 * The system's file manager, through Electron's shell: main's half of shell.showItemInFolder
 * (which path to show is decided, and checked, in the lab's handler).
 */
import { shell } from 'electron'

/** Opens the file manager on the folder holding `path`, with it selected. */
export function showInFileManager(path: string): void {
  shell.showItemInFolder(path)
}
