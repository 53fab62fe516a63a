/**
 * Where main may write on the user's behalf. The renderer says where it would like files to go,
 * but it alone can never make main write there: a folder is writable only if it is the app's own
 * data folder (or inside it), or the user chose it this session in main's dialog for a folder to
 * write into (dialog.choosePath's outputDirectory), or the user typed it and then confirmed it in
 * a message box that main itself shows. Reading stays open.
 */
import { realpathSync } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { LabError } from '../../shared/errors'
import { shownName } from '../../shared/fsNames'

/** The title of the open dialog in which the user chooses a folder for the app to write into (main's words, not the page's). */
export const OUTPUT_FOLDER_TITLE = 'Choose a folder for Yield Lab to write sample data into'

/** A yes/no question main asks in a native message box (injected: Electron's dialog, or a test's answer). */
export interface WriteQuestion {
  message: string
  detail: string
  confirmLabel: string
}

/** The folder as the file system sees it: real path of its deepest existing part, the rest as given. */
export function canonicalFolder(folder: string): string {
  const rest: string[] = []
  let head = resolve(folder)
  for (;;) {
    try {
      return join(realpathSync.native(head), ...rest)
    } catch {
      const parent = dirname(head)
      if (parent === head) return resolve(folder)
      rest.unshift(basename(head))
      head = parent
    }
  }
}

function isInside(folder: string, root: string): boolean {
  return folder === root || folder.startsWith(root.endsWith(sep) ? root : root + sep)
}

export class WritePolicy {
  private readonly granted = new Set<string>()

  constructor(
    private readonly dataDirectory: () => string,
    private readonly confirm: (question: WriteQuestion) => Promise<boolean>
  ) {}

  /** A folder the user chose in main's dialog for a folder to write into. */
  grantChosen(folder: string): void {
    this.granted.add(canonicalFolder(folder))
  }

  allows(folder: string): boolean {
    const target = canonicalFolder(folder)
    return isInside(target, canonicalFolder(this.dataDirectory())) || this.granted.has(target)
  }

  /** Asks the user (once per folder and session) whether the app may write into a folder they typed. */
  async request(folder: string): Promise<boolean> {
    if (this.allows(folder)) return true
    const target = canonicalFolder(folder)
    const allowed = await this.confirm({
      // Escaped: the page typed this path, and a newline or a right-to-left mark in it could make the question say something else.
      message: `Allow Yield Lab to write into ${shownName(target)}?`,
      detail:
        'Yield Lab writes only into its own data folder, folders you choose for it to write into, and folders you confirm here. ' +
        'It never replaces files it did not make.',
      confirmLabel: 'Allow'
    })
    if (allowed) this.granted.add(target)
    return allowed
  }

  /** Throws PERMISSION_DENIED unless the app may write into `folder`. */
  check(folder: string): void {
    if (this.allows(folder)) return
    const target = canonicalFolder(folder)
    throw new LabError(
      'PERMISSION_DENIED',
      `Yield Lab may not write into ${target}: it writes only into its own data folder, a folder you chose for it to write into (Generate's “Change folder…”), or one you confirmed. Choose the folder there, or confirm it when asked.`,
      target
    )
  }
}
