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
 * - createListingPool: threads that list the directories a walker will enter next (read-ahead),
 *   since listing is bound by syscalls that one thread issues one after another.
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
/*
 * An inode number as a double that tells files apart, as inodeNumber in src/shared/inodes.ts
 * keeps one: itself up to 2^53 - 1; above, its top 16 bits moved down onto bits 37 to 52, over its
 * low 37 (overlayfs with xino puts a layer's number in the top bits).
 */
static double inode_number(uint64_t ino) {
  if (ino <= (UINT64_C(1) << 53) - 1) return (double)ino;
  return (double)(((ino >> 48) << 37) | (ino & ((UINT64_C(1) << 37) - 1)));
}

/*
 * A listing's type for a symlink whose target is a directory (os.walk puts it in dirnames). Not
 * one of libuv's codes, which go up to 7; a symlink whose target is anything else, or cannot be
 * stat'ed, stays 3.
 */
#define LINK_TO_DIRECTORY 8

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
 * character for its type ('0' + the UV_DIRENT_* code, or + LINK_TO_DIRECTORY for a symlink whose
 * target is a directory), then, with sizes, the size of a regular
 * file in decimal (or minus the errno of a failed lstat; nothing for other entries) and a ':',
 * then the name and a '/'. One string per directory instead of a string per name: '/' can never
 * occur in a name. A name that is not valid UTF-8 is flagged by its type character ('A' + the
 * code instead of '0' + the code) and written as the hex of its raw bytes, which the caller
 * decodes as Python does (surrogate escapes). `path` is a string, or a Buffer of raw bytes for a
 * path that is not valid UTF-8 itself.
 * Entries whose type the file system does not give (DT_UNKNOWN) are lstat'ed for it, as Node
 * does; one that vanished in between stays unknown. Sizes, and a symlink's target, come from a
 * stat relative to the open directory, which spares the kernel resolving the whole path again
 * for every entry.
 */
/* Fields per entry in listDirectoryStats' buffer (see native/index.d.ts). */
#define ENTRY_STAT_FIELDS 5

/* One directory's listing in malloc'd memory, made without Node-API so any thread can make it. */
struct listing {
  char* text;
  size_t length;
  /* With stats: ENTRY_STAT_FIELDS doubles per entry. */
  double* stats;
  size_t entries;
  /* When listing failed: the errno and the call that failed; text and stats are then NULL. */
  int error;
  const char* syscall;
};

static void free_listing(struct listing* listing) {
  free(listing->text);
  free(listing->stats);
  listing->text = NULL;
  listing->stats = NULL;
}

#ifndef _WIN32
/* How opendir opens a directory (glibc's flags); O_DIRECTORY fails on anything else before opening it, a FIFO included. */
#define DIRECTORY_OPEN_FLAGS (O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC)

/*
 * Where a thread writes the listings it makes, grown to fit the largest; each listing is then kept
 * as a copy of its exact size. Most directories hold a few entries: a fresh 16 KiB buffer for each
 * cost the allocator more than listing them (a request that large makes it consolidate its small
 * free chunks), and freeing it from the walker's thread meant taking the lister's arena lock.
 */
struct scratch {
  char* text;
  size_t capacity;
  double* stats;
  /* In entries. */
  size_t stats_capacity;
};

/* A scratch grown past this many bytes of text or stats is freed after use, not kept for the next listing. */
#define SCRATCH_KEPT_MAX ((size_t)1 << 20)

static void free_scratch(struct scratch* scratch) {
  free(scratch->text);
  free(scratch->stats);
  *scratch = (struct scratch){NULL, 0, NULL, 0};
}

/* A copy of `length` bytes at `data` in memory of its own (at least one byte); NULL when memory runs out. */
static void* copy_of(const void* data, size_t length) {
  void* copy = malloc(length > 0 ? length : 1);
  if (copy != NULL && length > 0) memcpy(copy, data, length);
  return copy;
}

/*
 * Lists the open directory `fd` into `out`, as listDirectory and listDirectoryStats describe,
 * writing in `scratch` (NULL: in a scratch of its own, freed before it returns); closes `fd`
 * either way.
 */
static void list_open_directory(int fd, bool with_sizes, bool with_stats, struct scratch* scratch, struct listing* out) {
  *out = (struct listing){NULL, 0, NULL, 0, 0, NULL};
  struct scratch own = {NULL, 0, NULL, 0};
  if (scratch == NULL) scratch = &own;
  DIR* dir = fdopendir(fd);
  if (dir == NULL) {
    out->error = errno;
    out->syscall = "opendir";
    close(fd);
    return;
  }

  if (scratch->text == NULL) {
    scratch->capacity = 16384;
    scratch->text = malloc(scratch->capacity);
  }
  if (with_stats && scratch->stats == NULL) {
    scratch->stats_capacity = 256;
    scratch->stats = malloc(scratch->stats_capacity * ENTRY_STAT_FIELDS * sizeof(double));
  }
  size_t capacity = scratch->capacity, used = 0;
  char* listing = scratch->text;
  size_t stats_capacity = scratch->stats_capacity, entries = 0;
  double* stats = scratch->stats;
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
          entry_stats[3] = inode_number(info.st_ino);
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
        stats = scratch->stats = grown;
        stats_capacity = scratch->stats_capacity *= 2;
      }
      memcpy(stats + entries * ENTRY_STAT_FIELDS, entry_stats, sizeof entry_stats);
      entries++;
    }
    if (type == 3) {
      /* os.walk's entry.is_dir(): follow the link; any error means "not a directory". */
      struct stat target;
      if (fstatat(fd, name, &target, 0) == 0 && S_ISDIR(target.st_mode)) type = LINK_TO_DIRECTORY;
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
      listing = scratch->text = grown;
      capacity = scratch->capacity = grown_capacity;
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
  if (error == 0) {
    out->text = copy_of(listing, used);
    out->stats = with_stats ? copy_of(stats, entries * ENTRY_STAT_FIELDS * sizeof(double)) : NULL;
    if (out->text == NULL || (with_stats && out->stats == NULL)) {
      free_listing(out);
      error = ENOMEM;
    }
  }
  if (scratch == &own || scratch->capacity > SCRATCH_KEPT_MAX ||
      scratch->stats_capacity * ENTRY_STAT_FIELDS * sizeof(double) > SCRATCH_KEPT_MAX)
    free_scratch(scratch);
  if (error != 0) {
    out->error = error;
    out->syscall = "readdir";
    return;
  }
  out->length = used;
  out->entries = entries;
}

/* Lists `path` (a NUL-terminated path) into `out`, as listDirectory and listDirectoryStats describe. */
static void list_path(const char* path, bool with_sizes, bool with_stats, struct listing* out) {
  int fd = open(path, DIRECTORY_OPEN_FLAGS);
  if (fd < 0) {
    *out = (struct listing){NULL, 0, NULL, 0, errno, "opendir"};
    return;
  }
  list_open_directory(fd, with_sizes, with_stats, NULL, out);
}
#endif

/*
 * A listing as JS gets it: the listing string, or with stats [string, ArrayBuffer]. Throws as
 * listDirectory does when listing failed. Frees the listing's memory either way. The stats go
 * into `into` (the ArrayBuffer `into_value`, at that address) when it is not NULL, else into a
 * new ArrayBuffer.
 */
static napi_value listing_value(napi_env env, struct listing* listing, bool with_stats, double* into,
                                napi_value into_value) {
  if (listing->error != 0) {
    free_listing(listing);
    return throw_errno(env, listing->error, listing->syscall);
  }
  napi_value result;
  napi_status status = napi_create_string_utf8(env, listing->text, listing->length, &result);
  free(listing->text);
  listing->text = NULL;
  if (status != napi_ok || !with_stats) {
    free_listing(listing);
    CHECK(status);
    return result;
  }
  napi_value pair, buffer = into_value;
  void* data = into;
  size_t bytes = listing->entries * ENTRY_STAT_FIELDS * sizeof(double);
  if (into == NULL) status = napi_create_arraybuffer(env, bytes, &data, &buffer);
  if (status == napi_ok && bytes > 0) memcpy(data, listing->stats, bytes);
  free_listing(listing);
  CHECK(status);
  CHECK(napi_create_array_with_length(env, 2, &pair));
  CHECK(napi_set_element(env, pair, 0, result));
  CHECK(napi_set_element(env, pair, 1, buffer));
  return pair;
}

/*
 * A path argument (a string, or a Buffer of raw bytes) as a malloc'd NUL-terminated string; its
 * length in *length. NULL with a JS exception pending when it is neither or memory runs out. A
 * NUL inside the path shows as strlen(path) != *length.
 */
static char* path_argument(napi_env env, napi_value value, size_t* length, const char* usage) {
  bool is_buffer = false;
  void* raw_path = NULL;
  if (napi_is_buffer(env, value, &is_buffer) != napi_ok ||
      (is_buffer ? napi_get_buffer_info(env, value, &raw_path, length)
                 : napi_get_value_string_utf8(env, value, NULL, 0, length)) != napi_ok) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  char* path = malloc(*length + 1);
  if (path == NULL) {
    throw_errno(env, ENOMEM, "opendir");
    return NULL;
  }
  if (is_buffer) {
    memcpy(path, raw_path, *length);
    path[*length] = '\0';
  } else if (napi_get_value_string_utf8(env, value, path, *length + 1, length) != napi_ok) {
    free(path);
    napi_throw_error(env, NULL, "yield-lab native helper: N-API call failed: napi_get_value_string_utf8");
    return NULL;
  }
  return path;
}

static napi_value list_entries(napi_env env, napi_callback_info info, bool with_stats) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
#ifdef _WIN32
  (void)with_stats;
  napi_throw_error(env, NULL, "listDirectory is not available on Windows");
  return NULL;
#else
  static const char usage[] = "listDirectory(path, withSizes) takes a path string or Buffer";
  if (argc < 1) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  size_t length;
  char* path = path_argument(env, argv[0], &length, usage);
  if (path == NULL) return NULL;
  bool with_sizes = false;
  if (!with_stats && argc >= 2 && napi_get_value_bool(env, argv[1], &with_sizes) != napi_ok) {
    free(path);
    napi_throw_type_error(env, NULL, "listDirectory: withSizes must be a boolean");
    return NULL;
  }
  if (strlen(path) != length) {
    free(path);
    return throw_errno(env, EINVAL, "opendir"); /* a NUL inside the path */
  }
  struct listing listing;
  list_path(path, with_sizes, with_stats, &listing);
  free(path);
  return listing_value(env, &listing, with_stats, NULL, NULL);
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

/*
 * createListingPool(threads?, withStats?, listAhead?) -> ListingPool: directory read-ahead for the walker. A
 * walk is bound by the syscalls of listing (opendir, readdir, an lstat per entry), which one
 * thread issues one after another; the pool's threads list the directories the walker will enter
 * next while it works on the current one.
 *
 * - prefetch(paths, statMode[, device]) queues directories. Each is (l)stat'ed first ('lstat' or
 *   'stat'), then listed as listDirectoryStats lists it (as listDirectory(path, false) without
 *   stats), except a symlink under 'lstat' and, when `device` is given, a directory on another
 *   device: the walker does not enter those, so listing them would waste time or hang on a slow
 *   mount.
 * - take(path[, statMode[, device]]) -> [listing, stats, self, key, subdirectoriesQueued] for a queued directory,
 *   waiting while a thread lists it; one that was never queued (or not started yet) is listed
 *   right here. listing and stats are null when the directory was not listed. self is an
 *   ArrayBuffer of SELF_FIELDS doubles: the errno of the (l)stat (0 when it worked), the UV_DIRENT
 *   type of what it found, then st_size, st_blocks * 512, st_dev, st_ino and st_nlink; key is
 *   "st_dev:st_ino" in decimal, exact where a double is not ('' when the stat failed). When the
 *   listing failed, take throws as listDirectory does, with self and key on the error.
 *   subdirectoriesQueued: see listAhead.
 * - listAhead (default false): as soon as a queued directory is listed, the subdirectories its
 *   listing names (entries of type directory; not symlinks) are queued too, with its statMode and
 *   device, and take says so; the walker then queues only the rest (symlinks it enters). Threads
 *   then work down the tree on their own instead of waiting for the walker to queue each
 *   directory's subdirectories after taking it: a walk of /usr has 15,700 directories of 9
 *   entries on average, and 6,200 of them are the first subdirectory of their parent, which the
 *   walker takes the moment it queues it, so without this it lists them itself. It suits only a
 *   walker that enters every subdirectory: one it prunes would be listed anyway (and its listing
 *   kept until close, within the bounds below).
 * - close() drops queued and finished listings and joins the threads (a thread finishes the
 *   directory it is listing first). A pool that is never closed is closed when it is collected.
 * - state() -> { queued, listing, listed, listedBytes, idleThreads, threads }, counted under the
 *   lock: directories waiting to be listed, being listed, and listed and not taken (and the bytes
 *   of those listings); threads waiting for work and not woken to any, and threads started. With
 *   idleThreads == threads and nothing listing the pool has settled, so tests can check its
 *   bounds then without depending on timing.
 *
 * The queue is a stack: the walker pushes a directory's subdirectories in reverse order on its
 * own stack, so the most recently queued directory is the one it takes next. Threads only list
 * among the POOL_LOOKAHEAD directories queued last and not yet taken (listed or not: listing does
 * not move that window, queuing and taking do; with listAhead, among all, since the listings
 * waiting on top would soon fill the window), and stop once POOL_DONE_MAX listings
 * or POOL_DONE_BYTES_MAX bytes of listings wait to be taken, so memory stays bounded however far
 * the walker falls behind, until the walker has taken a quarter of them (room_for_listings). The
 * threads never touch Node-API; only take turns results into values.
 */
#define POOL_THREADS_MAX 4
#define POOL_LOOKAHEAD 64
#define POOL_DONE_MAX 256
#define POOL_DONE_BYTES_MAX ((size_t)32 << 20)
#define POOL_DONE_RESUME (POOL_DONE_MAX / 4 * 3)
#define POOL_DONE_BYTES_RESUME (POOL_DONE_BYTES_MAX / 4 * 3)
#define SELF_FIELDS 7

enum directory_state { QUEUED, LISTING, LISTED };

/* A directory to enter: what to stat it with, and once entered its stat and listing. */
struct directory {
  char* path;
  size_t path_length;
  bool lstat_mode;
  bool has_device;
  double device;
  enum directory_state state;
  /* Listed by a pool that lists ahead, and every subdirectory its listing names queued. */
  bool subdirectories_queued;
  double self[SELF_FIELDS];
  char key[48];
  bool listed;
  struct listing listing;
};

#ifndef _WIN32
struct pool {
  pthread_mutex_t lock;
  /* Threads wait on `work` for a directory to list (or room to keep its listing); take waits on `listed`. */
  pthread_cond_t work, listed;
  /* The queue, most recent last: directories queued, being listed or listed, not yet taken. */
  struct directory** stack;
  size_t count, capacity;
  size_t done, done_bytes;
  /*
   * Threads waiting for work: woken one per new directory, not all for every change; `waking` of
   * them are woken and have not run yet, so state() does not count them idle.
   */
  size_t idle, waking;
  bool taker_waiting;
  /* Where take lists a directory no thread got to (only the walker's thread calls take). */
  struct scratch taker_scratch;
  /* The bound of listings waiting was reached, and not enough of them have been taken since (room_for_listings). */
  bool full;
  bool closing;
  bool with_stats;
  /* listAhead: each listing's subdirectories are queued as soon as it is made. */
  bool ahead;
  size_t threads_wanted, thread_count;
  pthread_t threads[POOL_THREADS_MAX];
};

static void free_directory(struct directory* directory) {
  if (directory == NULL) return;
  free_listing(&directory->listing);
  free(directory->path);
  free(directory);
}

/* (l)stats the directory, then lists it unless the walker will not enter it. Any thread. */
static void enter_directory(struct directory* directory, bool with_stats, struct scratch* scratch) {
  memset(directory->self, 0, sizeof directory->self);
  directory->key[0] = '\0';
  directory->listed = false;
  directory->listing = (struct listing){NULL, 0, NULL, 0, 0, NULL};
  if (strlen(directory->path) != directory->path_length) {
    /* A NUL inside the path: no stat, and the listing fails as listDirectory fails. */
    directory->self[0] = EINVAL;
    directory->listed = true;
    directory->listing.error = EINVAL;
    directory->listing.syscall = "opendir";
    return;
  }
  /*
   * Opened first and stat'ed through the descriptor: the path is resolved once, not once for the
   * stat and again for the listing. Under lstat, O_NOFOLLOW refuses a symlink. Only when the open
   * fails is the path (l)stat'ed, for what the walker needs to know: a symlink, another device,
   * or the stat of a directory it cannot list.
   */
  int fd = open(directory->path, DIRECTORY_OPEN_FLAGS | (directory->lstat_mode ? O_NOFOLLOW : 0));
  int open_error = fd < 0 ? errno : 0;
  struct stat info;
  int stat_error = 0;
  if (fd >= 0) stat_error = fstat(fd, &info) != 0 ? errno : 0;
  else if (fstatat(AT_FDCWD, directory->path, &info, directory->lstat_mode ? AT_SYMLINK_NOFOLLOW : 0) != 0)
    stat_error = errno;
  if (stat_error != 0) {
    directory->self[0] = stat_error;
  } else {
    directory->self[1] = mode_type(info.st_mode);
    directory->self[2] = (double)info.st_size;
    directory->self[3] = (double)info.st_blocks * 512;
    directory->self[4] = (double)info.st_dev;
    directory->self[5] = inode_number(info.st_ino);
    directory->self[6] = (double)info.st_nlink;
    snprintf(directory->key, sizeof directory->key, "%llu:%llu", (unsigned long long)info.st_dev,
             (unsigned long long)info.st_ino);
    bool entered = !(directory->lstat_mode && S_ISLNK(info.st_mode)) &&
                   !(directory->has_device && (double)info.st_dev != directory->device);
    if (!entered) {
      if (fd >= 0) close(fd);
      return;
    }
  }
  if (fd >= 0) list_open_directory(fd, false, with_stats, scratch, &directory->listing);
  else directory->listing = (struct listing){NULL, 0, NULL, 0, open_error, "opendir"};
  directory->listed = true;
}

static size_t listing_bytes(const struct directory* directory) {
  return directory->listing.length + directory->listing.entries * ENTRY_STAT_FIELDS * sizeof(double);
}

/*
 * Whether there is room to keep another listing. Once the bound is reached, not until the walker
 * has taken a quarter of what waits: the threads then go on together, rather than one woken per
 * listing taken (a wake-up costs the walker a syscall). Under the lock.
 */
static bool room_for_listings(struct pool* pool) {
  if (pool->done >= POOL_DONE_MAX || pool->done_bytes >= POOL_DONE_BYTES_MAX) pool->full = true;
  else if (pool->full && pool->done <= POOL_DONE_RESUME && pool->done_bytes <= POOL_DONE_BYTES_RESUME) pool->full = false;
  return !pool->full;
}

/* The most recent queued directory within the lookahead, if there is room to keep its listing. Under the lock. */
static struct directory* next_to_list(struct pool* pool) {
  if (!room_for_listings(pool)) return NULL;
  size_t end = pool->count > POOL_LOOKAHEAD && !pool->ahead ? pool->count - POOL_LOOKAHEAD : 0;
  for (size_t i = pool->count; i > end; i--)
    if (pool->stack[i - 1]->state == QUEUED) return pool->stack[i - 1];
  return NULL;
}

/* Wakes one waiting thread. Under the lock, with pool->waking < pool->idle. */
static void wake_thread(struct pool* pool) {
  pool->waking++;
  pthread_cond_signal(&pool->work);
}

/*
 * Whether waking a thread pays: a queued directory within the lookahead other than the most
 * recent one, which the walker takes next, right away, and lists itself sooner than a woken
 * thread would start it. A wake-up costs the walker's thread a syscall, and often its CPU.
 */
static bool work_for_a_thread(struct pool* pool) {
  if (pool->idle == pool->waking || pool->count < 2 || !room_for_listings(pool)) return false;
  size_t end = pool->count > POOL_LOOKAHEAD && !pool->ahead ? pool->count - POOL_LOOKAHEAD : 0;
  for (size_t i = pool->count - 1; i > end; i--)
    if (pool->stack[i - 1]->state == QUEUED) return true;
  return false;
}

/* Room on the stack for `more` directories; false when memory runs out. Under the lock. */
static bool reserve_stack(struct pool* pool, size_t more) {
  if (pool->count + more <= pool->capacity) return true;
  size_t capacity = (pool->count + more) * 2;
  struct directory** grown = realloc(pool->stack, capacity * sizeof *grown);
  if (grown == NULL) return false;
  pool->stack = grown;
  pool->capacity = capacity;
  return true;
}

/* The type code of the listing entry starting at `entry` (list_path writes '0' + type, or 'A' + type for a hex name). */
static uint8_t listed_type(const char* entry) {
  return (uint8_t)(entry[0] >= 'A' ? entry[0] - 'A' : entry[0] - '0');
}

/*
 * listAhead: queues the subdirectories that `parent`'s listing names (entries of type directory,
 * not symlinks), first on top, with parent's statMode and device, and wakes threads for all but
 * the first, which the thread that listed it (or the walker) goes on with. `parent` is a queued
 * directory: its statMode and device are the walker's for its subdirectories. All or none: when
 * memory runs out, none are queued and the walker queues them itself. Under the lock.
 */
static void queue_subdirectories(struct pool* pool, struct directory* parent) {
  if (!pool->ahead || !parent->listed || parent->listing.error != 0) return;
  const char* text = parent->listing.text;
  const char* text_end = text + parent->listing.length;
  size_t count = 0;
  for (const char* entry = text; entry < text_end; entry = (const char*)memchr(entry, '/', (size_t)(text_end - entry)) + 1)
    if (listed_type(entry) == 2) count++;
  if (!reserve_stack(pool, count)) return;
  bool slash = parent->path_length > 0 && parent->path[parent->path_length - 1] == '/';
  /* The k-th subdirectory in read order goes k below the top, so the first is taken first. */
  size_t made = 0;
  for (const char* entry = text; made < count; entry = (const char*)memchr(entry, '/', (size_t)(text_end - entry)) + 1) {
    if (listed_type(entry) != 2) continue;
    bool hex = entry[0] >= 'A';
    const char* name = entry + 1;
    size_t encoded = (size_t)((const char*)memchr(name, '/', (size_t)(text_end - name)) - name);
    size_t name_length = hex ? encoded / 2 : encoded;
    struct directory* child = calloc(1, sizeof *child);
    char* path = malloc(parent->path_length + 1 + name_length + 1);
    if (child == NULL || path == NULL) {
      free(child);
      free(path);
      for (size_t k = 0; k < made; k++) free_directory(pool->stack[pool->count + count - 1 - k]);
      return;
    }
    memcpy(path, parent->path, parent->path_length);
    size_t used = parent->path_length;
    if (!slash) path[used++] = '/';
    if (hex) {
      for (size_t h = 0; h < name_length; h++) {
        char high = name[2 * h], low = name[2 * h + 1];
        int value = ((high >= 'a' ? high - 'a' + 10 : high - '0') << 4) | (low >= 'a' ? low - 'a' + 10 : low - '0');
        path[used++] = (char)value;
      }
    } else {
      memcpy(path + used, name, name_length);
      used += name_length;
    }
    path[used] = '\0';
    child->path = path;
    child->path_length = used;
    child->lstat_mode = parent->lstat_mode;
    child->has_device = parent->has_device;
    child->device = parent->device;
    child->state = QUEUED;
    pool->stack[pool->count + count - 1 - made++] = child;
  }
  pool->count += count;
  parent->subdirectories_queued = true;
  for (size_t woken = 0; pool->waking < pool->idle && woken + 1 < count; woken++) wake_thread(pool);
}

static void* pool_thread(void* argument) {
  struct pool* pool = argument;
  struct scratch scratch = {NULL, 0, NULL, 0};
  pthread_mutex_lock(&pool->lock);
  while (!pool->closing) {
    struct directory* directory = next_to_list(pool);
    if (directory == NULL) {
      pool->idle++;
      pthread_cond_wait(&pool->work, &pool->lock);
      pool->idle--;
      /* Woken by wake_thread, or spuriously in place of one that wake_thread woke: one fewer on its way. */
      if (pool->waking > 0) pool->waking--;
      continue;
    }
    directory->state = LISTING;
    pthread_mutex_unlock(&pool->lock);
    enter_directory(directory, pool->with_stats, &scratch);
    pthread_mutex_lock(&pool->lock);
    directory->state = LISTED;
    pool->done++;
    pool->done_bytes += listing_bytes(directory);
    queue_subdirectories(pool, directory);
    if (pool->taker_waiting) pthread_cond_broadcast(&pool->listed);
  }
  pthread_mutex_unlock(&pool->lock);
  free_scratch(&scratch);
  return NULL;
}

/* Stops and joins the threads, then drops every directory not taken. Safe to call twice. */
static void close_pool(struct pool* pool) {
  pthread_mutex_lock(&pool->lock);
  pool->closing = true;
  pthread_cond_broadcast(&pool->work);
  pthread_mutex_unlock(&pool->lock);
  for (size_t i = 0; i < pool->thread_count; i++) pthread_join(pool->threads[i], NULL);
  pool->thread_count = 0;
  for (size_t i = 0; i < pool->count; i++) free_directory(pool->stack[i]);
  pool->count = 0;
  pool->done = 0;
  pool->full = false;
  free_scratch(&pool->taker_scratch);
  pool->done_bytes = 0;
}

static void finalize_pool(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  struct pool* pool = data;
  close_pool(pool);
  free(pool->stack);
  pthread_cond_destroy(&pool->work);
  pthread_cond_destroy(&pool->listed);
  pthread_mutex_destroy(&pool->lock);
  free(pool);
}

/* The pool behind `this`, or NULL with an exception pending (also when it is closed). */
static struct pool* this_pool(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv) {
  napi_value self;
  void* data = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok || napi_unwrap(env, self, &data) != napi_ok) {
    napi_throw_type_error(env, NULL, "not a ListingPool");
    return NULL;
  }
  struct pool* pool = data;
  if (pool->closing) {
    napi_throw_error(env, NULL, "the listing pool is closed");
    return NULL;
  }
  return pool;
}

/* statMode and device arguments (from argv[first]); false with an exception pending when they are wrong. */
static bool stat_arguments(napi_env env, size_t argc, napi_value* argv, size_t first, bool* lstat_mode,
                           bool* has_device, double* device) {
  *lstat_mode = false;
  *has_device = false;
  *device = 0;
  if (argc > first) {
    napi_valuetype type;
    char mode[8] = "";
    size_t length = 0;
    if (napi_typeof(env, argv[first], &type) != napi_ok ||
        (type != napi_undefined &&
         (napi_get_value_string_utf8(env, argv[first], mode, sizeof mode, &length) != napi_ok ||
          (strcmp(mode, "lstat") != 0 && strcmp(mode, "stat") != 0)))) {
      napi_throw_type_error(env, NULL, "ListingPool: statMode must be 'lstat' or 'stat'");
      return false;
    }
    *lstat_mode = strcmp(mode, "lstat") == 0;
  }
  if (argc > first + 1) {
    napi_valuetype type;
    if (napi_typeof(env, argv[first + 1], &type) != napi_ok ||
        (type != napi_undefined && (type != napi_number || napi_get_value_double(env, argv[first + 1], device) != napi_ok))) {
      napi_throw_type_error(env, NULL, "ListingPool: device must be a number");
      return false;
    }
    *has_device = type == napi_number;
  }
  return true;
}

static struct directory* new_directory(napi_env env, napi_value path_value, bool lstat_mode, bool has_device,
                                       double device) {
  struct directory* directory = calloc(1, sizeof *directory);
  if (directory == NULL) {
    throw_errno(env, ENOMEM, "opendir");
    return NULL;
  }
  directory->path = path_argument(env, path_value, &directory->path_length, "ListingPool: a path is a string or Buffer");
  if (directory->path == NULL) {
    free(directory);
    return NULL;
  }
  directory->lstat_mode = lstat_mode;
  directory->has_device = has_device;
  directory->device = device;
  directory->state = QUEUED;
  return directory;
}

static void start_threads(struct pool* pool) {
  for (size_t i = pool->thread_count; i < pool->threads_wanted; i++) {
    if (pthread_create(&pool->threads[pool->thread_count], NULL, pool_thread, pool) != 0) break;
    pool->thread_count++;
  }
  /* Without any thread every take lists the directory itself: slower, not wrong. */
}

static napi_value pool_prefetch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  struct pool* pool = this_pool(env, info, &argc, argv);
  if (pool == NULL) return NULL;
  bool is_array = false, lstat_mode, has_device;
  double device;
  uint32_t length = 0;
  if (argc < 1 || napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array) {
    napi_throw_type_error(env, NULL, "ListingPool.prefetch(paths, statMode, device?) takes an array of paths");
    return NULL;
  }
  if (!stat_arguments(env, argc, argv, 1, &lstat_mode, &has_device, &device)) return NULL;
  CHECK(napi_get_array_length(env, argv[0], &length));
  if (length == 0) return NULL;
  struct directory** added = calloc(length, sizeof *added);
  if (added == NULL) return throw_errno(env, ENOMEM, "opendir");
  for (uint32_t i = 0; i < length; i++) {
    napi_value element;
    if (napi_get_element(env, argv[0], i, &element) != napi_ok ||
        (added[i] = new_directory(env, element, lstat_mode, has_device, device)) == NULL) {
      for (uint32_t k = 0; k < i; k++) free_directory(added[k]);
      free(added);
      return NULL;
    }
  }
  pthread_mutex_lock(&pool->lock);
  if (!reserve_stack(pool, length)) {
    pthread_mutex_unlock(&pool->lock);
    for (uint32_t k = 0; k < length; k++) free_directory(added[k]);
    free(added);
    return throw_errno(env, ENOMEM, "opendir");
  }
  memcpy(pool->stack + pool->count, added, length * sizeof *added);
  pool->count += length;
  if (pool->thread_count < pool->threads_wanted) start_threads(pool);
  /* One thread per directory queued, but none for the last one, which the walker takes next. */
  for (size_t woken = 0; pool->waking < pool->idle && woken + 1 < length; woken++) wake_thread(pool);
  pthread_mutex_unlock(&pool->lock);
  free(added);
  return NULL;
}

static bool same_directory(const struct directory* a, const struct directory* b) {
  return a->path_length == b->path_length && a->lstat_mode == b->lstat_mode && a->has_device == b->has_device &&
         (!a->has_device || a->device == b->device) && memcmp(a->path, b->path, a->path_length) == 0;
}

/*
 * take's scratch argument: where self and then the stats of `directory` go when they fit, so a walk
 * does not make two ArrayBuffers per directory; NULL when there is none or they do not fit.
 */
static double* take_scratch(napi_env env, size_t argc, napi_value* argv, const struct directory* directory,
                            bool with_stats) {
  bool is_buffer = false;
  void* data = NULL;
  size_t length = 0;
  if (argc < 4 || napi_is_arraybuffer(env, argv[3], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_arraybuffer_info(env, argv[3], &data, &length) != napi_ok)
    return NULL;
  size_t entries = with_stats && directory->listed && directory->listing.error == 0 ? directory->listing.entries : 0;
  return length / sizeof(double) >= SELF_FIELDS + entries * ENTRY_STAT_FIELDS ? data : NULL;
}

static napi_value pool_take(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  struct pool* pool = this_pool(env, info, &argc, argv);
  if (pool == NULL) return NULL;
  bool lstat_mode, has_device;
  double device;
  if (argc < 1) {
    napi_throw_type_error(env, NULL, "ListingPool.take(path, statMode?, device?) takes a path string or Buffer");
    return NULL;
  }
  if (!stat_arguments(env, argc, argv, 1, &lstat_mode, &has_device, &device)) return NULL;
  struct directory* wanted = new_directory(env, argv[0], lstat_mode, has_device, device);
  if (wanted == NULL) return NULL;

  struct directory* directory = NULL;
  pthread_mutex_lock(&pool->lock);
  for (size_t i = pool->count; i > 0; i--) {
    if (!same_directory(pool->stack[i - 1], wanted)) continue;
    directory = pool->stack[i - 1];
    while (directory->state == LISTING) {
      pool->taker_waiting = true;
      pthread_cond_wait(&pool->listed, &pool->lock);
    }
    pool->taker_waiting = false;
    /* Only this thread removes from the stack, so the index still holds. */
    memmove(pool->stack + i - 1, pool->stack + i, (pool->count - i) * sizeof *pool->stack);
    pool->count--;
    if (directory->state == LISTED) {
      pool->done--;
      pool->done_bytes -= listing_bytes(directory);
    }
    /* The lookahead moved and there may be room again. */
    if (work_for_a_thread(pool)) wake_thread(pool);
    break;
  }
  pthread_mutex_unlock(&pool->lock);
  if (directory == NULL || directory->state == QUEUED) {
    /* Never queued, or no thread got to it yet: list it here rather than wait. */
    bool queued = directory != NULL;
    if (queued) free_directory(wanted);
    else directory = wanted;
    enter_directory(directory, pool->with_stats, &pool->taker_scratch);
    /* Only a queued directory's statMode and device are the walker's for its subdirectories. */
    if (queued && pool->ahead) {
      pthread_mutex_lock(&pool->lock);
      queue_subdirectories(pool, directory);
      pthread_mutex_unlock(&pool->lock);
    }
  } else {
    free_directory(wanted);
  }

  napi_value result = NULL, self, key, listing_part = NULL, stats_part = NULL, null_value;
  double* scratch = take_scratch(env, argc, argv, directory, pool->with_stats);
  void* data = scratch;
  napi_status status = napi_ok;
  if (scratch != NULL) self = argv[3];
  else status = napi_create_arraybuffer(env, sizeof directory->self, &data, &self);
  if (status == napi_ok) {
    memcpy(data, directory->self, sizeof directory->self);
    status = napi_create_string_latin1(env, directory->key, NAPI_AUTO_LENGTH, &key);
  }
  if (status != napi_ok) {
    free_directory(directory);
    CHECK(status);
  }
  if (directory->listed && directory->listing.error != 0) {
    int error = directory->listing.error;
    const char* syscall = directory->listing.syscall;
    free_directory(directory);
    throw_errno(env, error, syscall);
    napi_value exception;
    if (napi_get_and_clear_last_exception(env, &exception) == napi_ok) {
      napi_set_named_property(env, exception, "self", self);
      napi_set_named_property(env, exception, "key", key);
      napi_throw(env, exception);
    }
    return NULL;
  }
  if (directory->listed) {
    listing_part = listing_value(env, &directory->listing, pool->with_stats,
                                 scratch == NULL ? NULL : scratch + SELF_FIELDS, self);
    if (listing_part == NULL) {
      free_directory(directory);
      return NULL;
    }
  }
  bool subdirectories_queued = directory->subdirectories_queued;
  free_directory(directory);
  napi_value queued_value;
  CHECK(napi_get_boolean(env, subdirectories_queued, &queued_value));
  CHECK(napi_get_null(env, &null_value));
  if (listing_part != NULL && pool->with_stats) {
    CHECK(napi_get_element(env, listing_part, 1, &stats_part));
    CHECK(napi_get_element(env, listing_part, 0, &listing_part));
  }
  CHECK(napi_create_array_with_length(env, 5, &result));
  CHECK(napi_set_element(env, result, 0, listing_part != NULL ? listing_part : null_value));
  CHECK(napi_set_element(env, result, 1, stats_part != NULL ? stats_part : null_value));
  CHECK(napi_set_element(env, result, 2, self));
  CHECK(napi_set_element(env, result, 3, key));
  CHECK(napi_set_element(env, result, 4, queued_value));
  return result;
}

static napi_value pool_state(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  struct pool* pool = this_pool(env, info, &argc, NULL);
  if (pool == NULL) return NULL;
  size_t counts[3] = {0, 0, 0}; /* by enum directory_state */
  pthread_mutex_lock(&pool->lock);
  for (size_t i = 0; i < pool->count; i++) counts[pool->stack[i]->state]++;
  double values[] = {(double)counts[QUEUED], (double)counts[LISTING], (double)counts[LISTED], (double)pool->done_bytes,
                     (double)(pool->idle - pool->waking), (double)pool->thread_count};
  pthread_mutex_unlock(&pool->lock);
  static const char* const names[] = {"queued", "listing", "listed", "listedBytes", "idleThreads", "threads"};
  napi_value result, value;
  CHECK(napi_create_object(env, &result));
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    CHECK(napi_create_double(env, values[i], &value));
    CHECK(napi_set_named_property(env, result, names[i], value));
  }
  return result;
}

static napi_value pool_close(napi_env env, napi_callback_info info) {
  napi_value self;
  void* data = NULL;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok || napi_unwrap(env, self, &data) != napi_ok) {
    napi_throw_type_error(env, NULL, "not a ListingPool");
    return NULL;
  }
  close_pool(data);
  return NULL;
}

/* An optional boolean argument: *value is kept when it is undefined; false with a TypeError pending when it is not a boolean. */
static bool optional_boolean(napi_env env, napi_value argument, bool* value, const char* message) {
  napi_valuetype type;
  if (napi_typeof(env, argument, &type) != napi_ok ||
      (type != napi_undefined && napi_get_value_bool(env, argument, value) != napi_ok)) {
    napi_throw_type_error(env, NULL, message);
    return false;
  }
  return true;
}

static napi_value pool_constructor(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], self;
  CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  double wanted_threads = 0;
  napi_valuetype type = napi_undefined;
  if (argc >= 1) CHECK(napi_typeof(env, argv[0], &type));
  if (type != napi_undefined &&
      (napi_get_value_double(env, argv[0], &wanted_threads) != napi_ok ||
       !(wanted_threads >= 1 && wanted_threads <= POOL_THREADS_MAX) || wanted_threads != (double)(int)wanted_threads)) {
    napi_throw_range_error(env, NULL, "createListingPool: threads must be a whole number from 1 to 4");
    return NULL;
  }
  bool with_stats = true, list_ahead = false;
  if (!optional_boolean(env, argv[1], &with_stats, "createListingPool: withStats must be a boolean") ||
      !optional_boolean(env, argv[2], &list_ahead, "createListingPool: listAhead must be a boolean"))
    return NULL;
  struct pool* pool = calloc(1, sizeof *pool);
  if (pool == NULL) return throw_errno(env, ENOMEM, "pthread_create");
  if (wanted_threads > 0) {
    pool->threads_wanted = (size_t)wanted_threads;
  } else {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    pool->threads_wanted = cores < 1 ? 1 : cores > POOL_THREADS_MAX ? POOL_THREADS_MAX : (size_t)cores;
  }
  pool->with_stats = with_stats;
  pool->ahead = list_ahead;
  pthread_mutex_init(&pool->lock, NULL);
  pthread_cond_init(&pool->work, NULL);
  pthread_cond_init(&pool->listed, NULL);
  if (napi_wrap(env, self, pool, finalize_pool, NULL, NULL) != napi_ok) {
    finalize_pool(env, pool, NULL);
    napi_throw_error(env, NULL, "yield-lab native helper: N-API call failed: napi_wrap");
    return NULL;
  }
  return self;
}
#endif

static napi_value create_listing_pool(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
#ifdef _WIN32
  napi_throw_error(env, NULL, "createListingPool is not available on Windows");
  return NULL;
#else
  napi_ref* constructor_ref = NULL;
  napi_value constructor;
  CHECK(napi_get_instance_data(env, (void**)&constructor_ref));
  CHECK(napi_get_reference_value(env, *constructor_ref, &constructor));
  for (size_t i = argc; i < 3; i++) CHECK(napi_get_undefined(env, &argv[i]));
  if (napi_new_instance(env, constructor, 3, argv, &result) != napi_ok) return NULL;
  return result;
#endif
}

#ifndef _WIN32
static void delete_constructor_ref(napi_env env, void* data, void* hint) {
  (void)hint;
  napi_delete_reference(env, *(napi_ref*)data);
  free(data);
}
#endif

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
  CHECK(napi_create_function(env, "createListingPool", NAPI_AUTO_LENGTH, create_listing_pool, NULL, &function));
  CHECK(napi_set_named_property(env, exports, "createListingPool", function));
#ifndef _WIN32
  napi_property_descriptor methods[] = {
      {"prefetch", NULL, pool_prefetch, NULL, NULL, NULL, napi_default, NULL},
      {"take", NULL, pool_take, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, pool_close, NULL, NULL, NULL, napi_default, NULL},
      {"state", NULL, pool_state, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value constructor;
  CHECK(napi_define_class(env, "ListingPool", NAPI_AUTO_LENGTH, pool_constructor, NULL, 4, methods, &constructor));
  napi_ref* constructor_ref = malloc(sizeof *constructor_ref);
  if (constructor_ref == NULL) return throw_errno(env, ENOMEM, "malloc");
  CHECK(napi_create_reference(env, constructor, 1, constructor_ref));
  CHECK(napi_set_instance_data(env, constructor_ref, delete_constructor_ref, NULL));
#endif
  return exports;
}
