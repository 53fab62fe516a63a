// Windows only (build.cjs links it there): the helper's import library names node.exe, but the
// program loading it may be Electron. When the loader asks for node.exe, hand it the running
// program, which exports Node-API whatever its name (node-gyp's win_delay_load_hook does the same).
#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <delayimp.h>
#include <string.h>

static FARPROC WINAPI load_host_program(unsigned int event, DelayLoadInfo *info) {
  if (event != dliNotePreLoadLibrary || _stricmp(info->szDll, "node.exe") != 0) return NULL;
  return (FARPROC)GetModuleHandle(NULL);
}

const PfnDliHook __pfnDliNotifyHook2 = load_host_program;
#endif
