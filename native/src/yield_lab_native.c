/*
 * Two things Node's fs cannot do fast enough for Yield Lab:
 *
 * - listDirectory: one call lists a whole directory in read order with each entry's type, and
 *   the sizes of its regular files if asked; listDirectoryStats adds what du and ncdu need of
 *   every entry that is not a directory (sizes, blocks, device, inode, links) as one buffer. fs.opendirSync + Dir#readSync makes a Dirent object
 *   per entry and crosses into C++ per batch; fs.readdirSync sorts the names (libuv), so it
 *   loses os.walk's order; fs.lstatSync per file resolves the whole path each time.
 * - adviseHugePages: madvise(MADV_HUGEPAGE) on a fresh buffer before a large read fills it, as
 *   numpy does for its arrays. With 4 KiB pages, faulting in a 512 MiB buffer costs more than
 *   reading the file from the page cache.
 * - readParallel: one large read split over a few threads. Copying from the page cache is bound
 *   by one core's copy speed; Node's readSync uses one thread, its async reads need the event
 *   loop, which a synchronous reader cannot wait for.
 */
#include <node_api.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
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

#ifndef _WIN32
/* Whether a name is valid UTF-8 as Python decodes it: no overlongs, no surrogates, at most U+10FFFF. */
static bool is_utf8(const unsigned char* text, size_t length) {
  size_t i = 0;
  while (i < length) {
    unsigned char b = text[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    size_t need;
    unsigned char low = 0x80, high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b == 0xe0) need = 2, low = 0xa0;
    else if (b == 0xed) need = 2, high = 0x9f;
    else if (b >= 0xe1 && b <= 0xef) need = 2;
    else if (b == 0xf0) need = 3, low = 0x90;
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else if (b == 0xf4) need = 3, high = 0x8f;
    else return false;
    if (length - i <= need) return false; /* the sequence is cut off */
    if (text[i + 1] < low || text[i + 1] > high) return false;
    for (size_t k = 2; k <= need; k++)
      if (text[i + k] < 0x80 || text[i + k] > 0xbf) return false;
    i += need + 1;
  }
  return true;
}
#endif

/*
 * listDirectory(path, withSizes) -> string: every entry but "." and "..", in read order, as one
 * character for its type ('0' + the UV_DIRENT_* code), then, with sizes, the size of a regular
 * file in decimal (or minus the errno of a failed lstat; nothing for other entries) and a ':',
 * then the name and a '/'. One string per directory instead of a string per name: '/' can never
 * occur in a name. A name that is not valid UTF-8 is flagged by its type character ('A' + the
 * code instead of '0' + the code) and written as the hex of its raw bytes, which the caller
 * decodes as Python does (surrogate escapes). `path` is a string, or a Buffer of raw bytes for a
 * path that is not valid UTF-8 itself.
 * Entries whose type the file system does not give (DT_UNKNOWN) are lstat'ed for it, as Node
 * does; one that vanished in between stays unknown. Sizes come from an lstat relative to the
 * open directory, which spares the kernel resolving the whole path again for every file.
 */
/* Fields per entry in listDirectoryStats' buffer (see native/index.d.ts). */
#define ENTRY_STAT_FIELDS 5

static napi_value list_entries(napi_env env, napi_callback_info info, bool with_stats) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
#ifdef _WIN32
  (void)with_stats;
  napi_throw_error(env, NULL, "listDirectory is not available on Windows");
  return NULL;
#else
  size_t length;
  bool is_buffer = false;
  void* raw_path = NULL;
  if (argc >= 1) CHECK(napi_is_buffer(env, argv[0], &is_buffer));
  if (argc < 1 || (is_buffer ? napi_get_buffer_info(env, argv[0], &raw_path, &length)
                             : napi_get_value_string_utf8(env, argv[0], NULL, 0, &length)) != napi_ok) {
    napi_throw_type_error(env, NULL, "listDirectory(path, withSizes) takes a path string or Buffer");
    return NULL;
  }
  bool with_sizes = false;
  if (!with_stats && argc >= 2 && napi_get_value_bool(env, argv[1], &with_sizes) != napi_ok) {
    napi_throw_type_error(env, NULL, "listDirectory: withSizes must be a boolean");
    return NULL;
  }
  char* path = malloc(length + 1);
  if (path == NULL) return throw_errno(env, ENOMEM, "opendir");
  if (is_buffer) {
    memcpy(path, raw_path, length);
    path[length] = '\0';
  } else if (napi_get_value_string_utf8(env, argv[0], path, length + 1, &length) != napi_ok) {
    free(path);
    napi_throw_error(env, NULL, "yield-lab native helper: N-API call failed: napi_get_value_string_utf8");
    return NULL;
  }
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
  size_t stats_capacity = with_stats ? 256 : 0, entries = 0;
  double* stats = with_stats ? malloc(stats_capacity * ENTRY_STAT_FIELDS * sizeof(double)) : NULL;
  int error = listing == NULL || (with_stats && stats == NULL) ? ENOMEM : 0;
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
    double entry_stats[ENTRY_STAT_FIELDS] = {0, 0, 0, 0, 0};
    if (type == 0 || (with_sizes && type == 1) || (with_stats && type != 2)) {
      struct stat info;
      int failed = fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 ? errno : 0;
      if (!failed && type == 0) type = mode_type(info.st_mode);
      if (with_sizes && type == 1) {
        if (failed) snprintf(size_text, sizeof size_text, "-%d", failed);
        else snprintf(size_text, sizeof size_text, "%lld", (long long)info.st_size);
      }
      if (with_stats && type != 2) {
        if (failed) entry_stats[0] = -(double)failed;
        else {
          entry_stats[0] = (double)info.st_size;
          entry_stats[1] = (double)info.st_blocks * 512;
          entry_stats[2] = (double)info.st_dev;
          entry_stats[3] = (double)info.st_ino;
          entry_stats[4] = (double)info.st_nlink;
        }
      }
    }
    if (with_stats) {
      if (entries == stats_capacity) {
        double* grown = realloc(stats, stats_capacity * 2 * ENTRY_STAT_FIELDS * sizeof(double));
        if (grown == NULL) {
          error = ENOMEM;
          break;
        }
        stats = grown;
        stats_capacity *= 2;
      }
      memcpy(stats + entries * ENTRY_STAT_FIELDS, entry_stats, sizeof entry_stats);
      entries++;
    }
    size_t name_size = strlen(name), size_size = strlen(size_text);
    bool utf8 = is_utf8((const unsigned char*)name, name_size);
    size_t written_name_size = utf8 ? name_size : 2 * name_size;
    size_t needed = used + 1 + size_size + 1 + written_name_size + 1;
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
    listing[used++] = (char)((utf8 ? '0' : 'A') + type);
    if (with_sizes) {
      memcpy(listing + used, size_text, size_size);
      used += size_size;
      listing[used++] = ':';
    }
    if (utf8) {
      memcpy(listing + used, name, name_size);
      used += name_size;
    } else {
      static const char hex[] = "0123456789abcdef";
      for (size_t k = 0; k < name_size; k++) {
        listing[used++] = hex[(unsigned char)name[k] >> 4];
        listing[used++] = hex[(unsigned char)name[k] & 15];
      }
    }
    listing[used++] = '/';
  }
  closedir(dir);
  if (error != 0) {
    free(listing);
    free(stats);
    return throw_errno(env, error, "readdir");
  }
  napi_value result;
  napi_status status = napi_create_string_utf8(env, listing, used, &result);
  free(listing);
  if (status != napi_ok || !with_stats) {
    free(stats);
    CHECK(status);
    return result;
  }
  napi_value pair, buffer;
  void* data = NULL;
  size_t bytes = entries * ENTRY_STAT_FIELDS * sizeof(double);
  status = napi_create_arraybuffer(env, bytes, &data, &buffer);
  if (status == napi_ok && bytes > 0) memcpy(data, stats, bytes);
  free(stats);
  CHECK(status);
  CHECK(napi_create_array_with_length(env, 2, &pair));
  CHECK(napi_set_element(env, pair, 0, result));
  CHECK(napi_set_element(env, pair, 1, buffer));
  return pair;
#endif
}

static napi_value list_directory(napi_env env, napi_callback_info info) {
  return list_entries(env, info, false);
}

/*
 * listDirectoryStats(path) -> [listing, ArrayBuffer]: the listing as listDirectory gives it
 * without sizes, and five doubles per entry, in the same order, from an lstat of every entry
 * that is not a directory: st_size, st_blocks * 512, st_dev, st_ino, st_nlink (minus the errno
 * then four zeros when the lstat failed; all zeros for a directory, which the walker stats when
 * it enters it). A double holds these exactly up to 2^53.
 */
static napi_value list_directory_stats(napi_env env, napi_callback_info info) {
  return list_entries(env, info, true);
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

#ifndef _WIN32
struct read_part {
  int fd;
  uint8_t* target;
  size_t length;
  off_t position;
  size_t done;
  int error;
};

static void* read_part(void* argument) {
  struct read_part* part = argument;
  while (part->done < part->length) {
    ssize_t n = pread(part->fd, part->target + part->done, part->length - part->done, part->position + (off_t)part->done);
    if (n < 0) {
      if (errno == EINTR) continue;
      part->error = errno;
      break;
    }
    if (n == 0) break; /* end of file: the caller sees a short read */
    part->done += (size_t)n;
  }
  return NULL;
}
#endif

#define READ_THREADS_MAX 4
/* Below this a part is not worth a thread. */
#define READ_PART_MIN ((size_t)4 << 20)

/*
 * readParallel(fd, buffer, offset, length, position[, threads]) -> number: reads `length` bytes
 * of the file at `position` into `buffer` at `offset`, split into parts of at least 4 MiB read by
 * up to four threads at once (no more than the online cores). `threads` (1 to 4) sets the number
 * of parts instead, whatever the length and cores, so tests can split any length on any machine.
 * Returns how many bytes were read without a gap from the start (less than `length` only when
 * the file ended early); throws an Error with `errno` and `syscall` 'read' when a read fails.
 */
static napi_value read_parallel(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
#ifdef _WIN32
  napi_throw_error(env, NULL, "readParallel is not available on Windows");
  return NULL;
#else
  int32_t fd;
  void* data;
  size_t buffer_length;
  double offset, length, position;
  if (argc < 5 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_arraybuffer_info(env, argv[1], &data, &buffer_length) != napi_ok ||
      napi_get_value_double(env, argv[2], &offset) != napi_ok || napi_get_value_double(env, argv[3], &length) != napi_ok ||
      napi_get_value_double(env, argv[4], &position) != napi_ok) {
    napi_throw_type_error(env, NULL, "readParallel(fd, buffer, offset, length, position) takes a descriptor, an ArrayBuffer and three byte counts");
    return NULL;
  }
  if (!(offset >= 0 && length >= 0 && position >= 0) || offset + length > (double)buffer_length) {
    napi_throw_range_error(env, NULL, "readParallel: offset and length must lie inside the buffer, position must not be negative");
    return NULL;
  }
  double wanted_threads = 0;
  napi_valuetype threads_type = napi_undefined;
  if (argc >= 6) CHECK(napi_typeof(env, argv[5], &threads_type));
  if (threads_type != napi_undefined &&
      (napi_get_value_double(env, argv[5], &wanted_threads) != napi_ok || !(wanted_threads >= 1 && wanted_threads <= READ_THREADS_MAX) ||
       wanted_threads != (double)(int)wanted_threads)) {
    napi_throw_range_error(env, NULL, "readParallel: threads must be a whole number from 1 to 4");
    return NULL;
  }
  size_t total = (size_t)length;
  size_t threads;
  if (wanted_threads > 0) {
    threads = (size_t)wanted_threads;
  } else {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    threads = total / READ_PART_MIN;
    if (threads > READ_THREADS_MAX) threads = READ_THREADS_MAX;
    if (cores > 0 && threads > (size_t)cores) threads = (size_t)cores;
    if (threads < 1) threads = 1;
  }
  /* Parts of ceil(total / threads) bytes rounded up to whole pages: never more parts than threads. */
  size_t part_length = ((total / threads + (total % threads != 0)) + 4095) & ~(size_t)4095;
  if (part_length == 0) part_length = 4096;

  struct read_part parts[READ_THREADS_MAX];
  pthread_t ids[READ_THREADS_MAX];
  bool started[READ_THREADS_MAX] = {false};
  size_t count = 0;
  for (size_t start = 0; (start < total || count == 0) && count < READ_THREADS_MAX; start += part_length) {
    size_t this_length = total - start < part_length ? total - start : part_length;
    parts[count] = (struct read_part){fd, (uint8_t*)data + (size_t)offset + start, this_length, (off_t)position + (off_t)start, 0, 0};
    count++;
    if (start + this_length >= total) break;
  }
  /* Parts after the first get threads; the first is read here, and so is any part whose thread cannot start. */
  for (size_t i = 1; i < count; i++) started[i] = pthread_create(&ids[i], NULL, read_part, &parts[i]) == 0;
  read_part(&parts[0]);
  for (size_t i = 1; i < count; i++) {
    if (started[i]) pthread_join(ids[i], NULL);
    else read_part(&parts[i]);
  }

  size_t contiguous = 0;
  for (size_t i = 0; i < count; i++) {
    if (parts[i].error != 0) return throw_errno(env, parts[i].error, "read");
    contiguous += parts[i].done;
    if (parts[i].done < parts[i].length) break;
  }
  napi_value result;
  CHECK(napi_create_double(env, (double)contiguous, &result));
  return result;
#endif
}

NAPI_MODULE_INIT() {
  napi_value function;
  CHECK(napi_create_function(env, "listDirectory", NAPI_AUTO_LENGTH, list_directory, NULL, &function));
  CHECK(napi_set_named_property(env, exports, "listDirectory", function));
  CHECK(napi_create_function(env, "listDirectoryStats", NAPI_AUTO_LENGTH, list_directory_stats, NULL, &function));
  CHECK(napi_set_named_property(env, exports, "listDirectoryStats", function));
  CHECK(napi_create_function(env, "adviseHugePages", NAPI_AUTO_LENGTH, advise_huge_pages, NULL, &function));
  CHECK(napi_set_named_property(env, exports, "adviseHugePages", function));
  CHECK(napi_create_function(env, "readParallel", NAPI_AUTO_LENGTH, read_parallel, NULL, &function));
  CHECK(napi_set_named_property(env, exports, "readParallel", function));
  return exports;
}
