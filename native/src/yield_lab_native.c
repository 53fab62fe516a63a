/*
 * Two things Node's fs cannot do fast enough for Yield Lab:
 *
 * - listDirectory: one call lists a whole directory in read order with each entry's type, and
 *   the sizes of its regular files if asked. fs.opendirSync + Dir#readSync makes a Dirent object
 *   per entry and crosses into C++ per batch; fs.readdirSync sorts the names (libuv), so it
 *   loses os.walk's order; fs.lstatSync per file resolves the whole path each time.
 * - adviseHugePages: madvise(MADV_HUGEPAGE) on a fresh buffer before a large read fills it, as
 *   numpy does for its arrays. With 4 KiB pages, faulting in a 512 MiB buffer costs more than
 *   reading the file from the page cache.
 */
#include <node_api.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#endif
#ifdef __linux__
#include <sys/mman.h>
#endif

#define CHECK(call)                                                                  \
  do {                                                                               \
    if ((call) != napi_ok) {                                                         \
      napi_throw_error(env, NULL, "yield-lab native helper: N-API call failed: " #call); \
      return NULL;                                                                   \
    }                                                                                \
  } while (0)

/* Throws an Error carrying errno and the failed call, for the JS side to name. */
static napi_value throw_errno(napi_env env, int error, const char* syscall) {
  napi_value message, exception, number, name;
  napi_create_string_utf8(env, strerror(error), NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &exception);
  napi_create_int32(env, error, &number);
  napi_set_named_property(env, exception, "errno", number);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &name);
  napi_set_named_property(env, exception, "syscall", name);
  napi_throw(env, exception);
  return NULL;
}

#ifndef _WIN32
/* libuv's uv_dirent_type_t values, which Node exposes as fs.constants.UV_DIRENT_*. */
static uint8_t dirent_type(unsigned char type) {
  switch (type) {
    case DT_REG: return 1;
    case DT_DIR: return 2;
    case DT_LNK: return 3;
    case DT_FIFO: return 4;
    case DT_SOCK: return 5;
    case DT_CHR: return 6;
    case DT_BLK: return 7;
    default: return 0;
  }
}

static uint8_t mode_type(mode_t mode) {
  if (S_ISREG(mode)) return 1;
  if (S_ISDIR(mode)) return 2;
  if (S_ISLNK(mode)) return 3;
  if (S_ISFIFO(mode)) return 4;
  if (S_ISSOCK(mode)) return 5;
  if (S_ISCHR(mode)) return 6;
  if (S_ISBLK(mode)) return 7;
  return 0;
}
#endif

/*
 * listDirectory(path, withSizes) -> string: every entry but "." and "..", in read order, as one
 * character for its type ('0' + the UV_DIRENT_* code), then, with sizes, the size of a regular
 * file in decimal (or minus the errno of a failed lstat; nothing for other entries) and a ':',
 * then the name and a '/'. One string per directory instead of a string per name: '/' can never
 * occur in a name, and a UTF-8 decoder never swallows an ASCII byte into an invalid sequence, so
 * each name decodes (invalid bytes as U+FFFD) exactly as Node decodes it on its own.
 * Entries whose type the file system does not give (DT_UNKNOWN) are lstat'ed for it, as Node
 * does; one that vanished in between stays unknown. Sizes come from an lstat relative to the
 * open directory, which spares the kernel resolving the whole path again for every file.
 */
static napi_value list_directory(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
#ifdef _WIN32
  napi_throw_error(env, NULL, "listDirectory is not available on Windows");
  return NULL;
#else
  size_t length;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "listDirectory(path, withSizes) takes a path string");
    return NULL;
  }
  bool with_sizes = false;
  if (argc >= 2 && napi_get_value_bool(env, argv[1], &with_sizes) != napi_ok) {
    napi_throw_type_error(env, NULL, "listDirectory: withSizes must be a boolean");
    return NULL;
  }
  char* path = malloc(length + 1);
  if (path == NULL) return throw_errno(env, ENOMEM, "opendir");
  CHECK(napi_get_value_string_utf8(env, argv[0], path, length + 1, &length));
  if (strlen(path) != length) {
    free(path);
    return throw_errno(env, EINVAL, "opendir"); /* a NUL inside the path */
  }
  DIR* dir = opendir(path);
  free(path);
  if (dir == NULL) return throw_errno(env, errno, "opendir");
  int fd = dirfd(dir);

  size_t capacity = 16384, used = 0;
  char* listing = malloc(capacity);
  int error = listing == NULL ? ENOMEM : 0;
  while (error == 0) {
    errno = 0;
    struct dirent* entry = readdir(dir);
    if (entry == NULL) {
      error = errno;
      break;
    }
    const char* name = entry->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    uint8_t type = dirent_type(entry->d_type);
    char size_text[32] = "";
    if (type == 0 || (with_sizes && type == 1)) {
      struct stat info;
      int failed = fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 ? errno : 0;
      if (!failed && type == 0) type = mode_type(info.st_mode);
      if (with_sizes && type == 1) {
        if (failed) snprintf(size_text, sizeof size_text, "-%d", failed);
        else snprintf(size_text, sizeof size_text, "%lld", (long long)info.st_size);
      }
    }
    size_t name_size = strlen(name), size_size = strlen(size_text);
    size_t needed = used + 1 + size_size + 1 + name_size + 1;
    if (needed > capacity) {
      size_t grown_capacity = needed * 2;
      char* grown = realloc(listing, grown_capacity);
      if (grown == NULL) {
        error = ENOMEM;
        break;
      }
      listing = grown;
      capacity = grown_capacity;
    }
    listing[used++] = (char)('0' + type);
    if (with_sizes) {
      memcpy(listing + used, size_text, size_size);
      used += size_size;
      listing[used++] = ':';
    }
    memcpy(listing + used, name, name_size);
    used += name_size;
    listing[used++] = '/';
  }
  closedir(dir);
  if (error != 0) {
    free(listing);
    return throw_errno(env, error, "readdir");
  }
  napi_value result;
  napi_status status = napi_create_string_utf8(env, listing, used, &result);
  free(listing);
  CHECK(status);
  return result;
#endif
}

static napi_value advise_huge_pages(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool taken = false;
  void* data = NULL;
  size_t length = 0;
  if (argc < 1 || napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "adviseHugePages(buffer) takes an ArrayBuffer");
    return NULL;
  }
#ifdef __linux__
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t start = ((uintptr_t)data + page - 1) & ~(page - 1);
  uintptr_t end = ((uintptr_t)data + length) & ~(page - 1);
  /* Only the whole pages inside the buffer: advice never reaches memory that is not ours. */
  if (end > start) taken = madvise((void*)start, end - start, MADV_HUGEPAGE) == 0;
#else
  (void)data;
  (void)length;
#endif
  CHECK(napi_get_boolean(env, taken, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value function;
  CHECK(napi_create_function(env, "listDirectory", NAPI_AUTO_LENGTH, list_directory, NULL, &function));
  CHECK(napi_set_named_property(env, exports, "listDirectory", function));
  CHECK(napi_create_function(env, "adviseHugePages", NAPI_AUTO_LENGTH, advise_huge_pages, NULL, &function));
  CHECK(napi_set_named_property(env, exports, "adviseHugePages", function));
  return exports;
}
