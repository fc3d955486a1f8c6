// An LD_PRELOAD library that makes one file-system call fail, to test what the built tools do
// when the disk is full, fails or refuses them: libgit2's writes included, which no FileSystem
// seam reaches.
//
// Or kills the process there with SIGKILL, to test what a run killed at any point leaves behind
// (a CronJob's pod evicted, a CI job cancelled) and whether the next run copes with it.
//
// Only calls on paths under CAPSTAN_FAULT_ROOT count (a write or fsync counts by the path of
// its descriptor): open for writing (and mkstemp), write, fsync/fdatasync, rename, mkdir.
//
//   CAPSTAN_FAULT_ROOT=/tmp/x                      required: where calls count
//   CAPSTAN_FAULT_LOG=/tmp/calls                   append "<op> <path>" for every counted call
//   CAPSTAN_FAULT=write:3:ENOSPC                   fail the 3rd counted write with ENOSPC
//   CAPSTAN_FAULT=write:3:short                    the 3rd write writes half and returns that;
//                                                  the next write on that descriptor: ENOSPC
//   CAPSTAN_FAULT=kill:7                           SIGKILL the process at its 7th counted call
//                                                  of any op (all ops count in one sequence),
//                                                  before the call is made
//   CAPSTAN_FAULT_SENDS=1                          also count sends on sockets (send, sendto,
//                                                  sendmsg, and write on a socket) as op "send",
//                                                  logged as "send socket", wherever they go:
//                                                  a kill can then land mid-push or
//                                                  mid-request
//
// ops: open, write, fsync, rename, mkdir, send; errors: ENOSPC, EIO, EACCES, short (write
// only). Counts are per process: a child process starts at 0 (the tools' git runs in process);
// they are atomic, so calls from several threads count once each (in whatever order they run).

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

enum { kOpen, kWrite, kFsync, kRename, kMkdir, kSend, kOps };
const char* const kNames[kOps] = {"open", "write", "fsync", "rename", "mkdir", "send"};

int g_ready;
char g_root[PATH_MAX];
size_t g_root_len;
char g_log[PATH_MAX];
int g_fault_op = -1;
long g_fault_at;
int g_fault_errno;
int g_fault_short;
long g_counts[kOps];
int g_short_fd = -1;
long g_kill_at;  // kill:N
long g_total;    // counted calls of every op, for kill:N
int g_sends;     // CAPSTAN_FAULT_SENDS=1

void Init() {
  if (g_ready) return;
  g_ready = 1;
  const char* root = getenv("CAPSTAN_FAULT_ROOT");
  if (root == nullptr || strlen(root) >= sizeof g_root) return;
  strcpy(g_root, root);
  g_root_len = strlen(g_root);
  const char* log = getenv("CAPSTAN_FAULT_LOG");
  if (log != nullptr && strlen(log) < sizeof g_log) strcpy(g_log, log);
  const char* sends = getenv("CAPSTAN_FAULT_SENDS");
  g_sends = sends != nullptr && strcmp(sends, "1") == 0;
  const char* fault = getenv("CAPSTAN_FAULT");
  if (fault == nullptr) return;
  char op[16] = {0}, err[16] = {0};
  long at = 0;
  char end = 0;
  if (sscanf(fault, "kill:%ld%c", &at, &end) == 1 && at >= 1) {
    g_kill_at = at;
    return;
  }
  if (sscanf(fault, "%15[a-z]:%ld:%15[A-Za-z]", op, &at, err) != 3 || at < 1) return;
  for (int i = 0; i < kOps; ++i)
    if (strcmp(op, kNames[i]) == 0) g_fault_op = i;
  g_fault_at = at;
  if (strcmp(err, "ENOSPC") == 0)
    g_fault_errno = ENOSPC;
  else if (strcmp(err, "EIO") == 0)
    g_fault_errno = EIO;
  else if (strcmp(err, "EACCES") == 0)
    g_fault_errno = EACCES;
  else if (strcmp(err, "short") == 0 && g_fault_op == kWrite)
    g_fault_short = 1;
  else
    g_fault_op = -1;
}

int Under(const char* path) {
  return g_root_len > 0 && path != nullptr && strncmp(path, g_root, g_root_len) == 0 &&
         (path[g_root_len] == '/' || path[g_root_len] == '\0');
}

/* The absolute path of a relative one (against the working directory), into buf. */
const char* Absolute(const char* path, char* buf, size_t size) {
  if (path == nullptr || path[0] == '/') return path;
  if (getcwd(buf, size) == nullptr) return path;
  size_t n = strlen(buf);
  if (n + 1 + strlen(path) >= size) return path;
  buf[n] = '/';
  strcpy(buf + n + 1, path);
  return buf;
}

const char* FdPath(int fd, char* buf, size_t size) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, buf, size - 1);
  if (n < 0) return nullptr;
  buf[n] = '\0';
  return buf;
}

void Log(int op, const char* path) {
  if (g_log[0] == '\0') return;
  char line[PATH_MAX + 32];
  int n = snprintf(line, sizeof line, "%s %s\n", kNames[op], path);
  int fd = static_cast<int>(
      syscall(SYS_openat, AT_FDCWD, g_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (fd < 0) return;
  syscall(SYS_write, fd, line,
          static_cast<size_t>(
              n < static_cast<int>(sizeof line) ? n : static_cast<int>(sizeof line) - 1));
  syscall(SYS_close, fd);
}

/* Counts a call of op (on path, or a socket for kSend); 1 when it is the one to fail. Does not
 * return when it is the one to kill at. */
int CountCall(int op, const char* path) {
  long n = __atomic_add_fetch(&g_counts[op], 1, __ATOMIC_SEQ_CST);
  long total = __atomic_add_fetch(&g_total, 1, __ATOMIC_SEQ_CST);
  Log(op, path);
  if (g_kill_at > 0 && total == g_kill_at) {
    syscall(SYS_kill, syscall(SYS_getpid), SIGKILL);
    for (;;) pause();
  }
  return op == g_fault_op && n == g_fault_at;
}

/* Counts a call on path when it is under the root; 1 when it is the one to fail. */
int Count(int op, const char* path) {
  Init();
  if (!Under(path)) return 0;
  return CountCall(op, path);
}

/* Counts a send on a socket when sends count; 1 when it is the one to fail. */
int CountSend() {
  Init();
  if (!g_sends || g_root_len == 0) return 0;
  return CountCall(kSend, "socket");
}

int IsSocket(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

template <typename F>
F Real(F& slot, const char* name) {
  if (slot == nullptr) slot = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
  return slot;
}

}  // namespace

// The next definition of `name` (libc's, or the sanitizer's in front of it), as a function of
// the given type.
#define REAL(name, ...)                     \
  using name##_type = __VA_ARGS__;          \
  static name##_type real_##name = nullptr; \
  Real(real_##name, #name)

namespace {

// errno set to the configured error, and -1: what a failed call returns.
int Fail() {
  errno = g_fault_errno;
  return -1;
}

// Whether an open of path (relative to the working directory) with flags is the one to fail:
// only opens for writing count.
bool OpenFails(const char* path, int flags) {
  char buf[PATH_MAX];
  return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0 &&
         Count(kOpen, Absolute(path, buf, sizeof buf));
}

}  // namespace

// The mode argument of an open that creates a file (absent otherwise), into `mode`.
#define CREATION_MODE(mode, flags)               \
  mode_t mode = 0;                               \
  if ((flags) & (O_CREAT | O_TMPFILE)) {         \
    va_list ap;                                  \
    va_start(ap, flags);                         \
    mode = static_cast<mode_t>(va_arg(ap, int)); \
    va_end(ap);                                  \
  }

extern "C" {

int open(const char* path, int flags, ...) {
  REAL(open, int (*)(const char*, int, ...));
  CREATION_MODE(mode, flags);
  if (OpenFails(path, flags)) return Fail();
  return real_open(path, flags, mode);
}

int open64(const char* path, int flags, ...) {
  REAL(open64, int (*)(const char*, int, ...));
  CREATION_MODE(mode, flags);
  if (OpenFails(path, flags)) return Fail();
  return real_open64(path, flags, mode);
}

int openat(int dirfd, const char* path, int flags, ...) {
  REAL(openat, int (*)(int, const char*, int, ...));
  CREATION_MODE(mode, flags);
  if (dirfd == AT_FDCWD && OpenFails(path, flags)) return Fail();
  return real_openat(dirfd, path, flags, mode);
}

int mkstemp(char* tmpl) {
  REAL(mkstemp, int (*)(char*));
  char buf[PATH_MAX];
  if (Count(kOpen, Absolute(tmpl, buf, sizeof buf))) return Fail();
  return real_mkstemp(tmpl);
}

ssize_t write(int fd, const void* data, size_t size) {
  REAL(write, ssize_t(*)(int, const void*, size_t));
  if (fd > 2) {
    Init();
    char buf[PATH_MAX];
    if (fd == g_short_fd) {
      g_short_fd = -1;
      errno = ENOSPC;
      return -1;
    }
    if (g_sends && IsSocket(fd)) {
      if (CountSend()) return Fail();
      return real_write(fd, data, size);
    }
    if (Count(kWrite, FdPath(fd, buf, sizeof buf))) {
      if (g_fault_short && size > 1) {
        g_short_fd = fd;
        return real_write(fd, data, size / 2);
      }
      errno = g_fault_short ? ENOSPC : g_fault_errno;
      return -1;
    }
  }
  return real_write(fd, data, size);
}

int fsync(int fd) {
  REAL(fsync, int (*)(int));
  char buf[PATH_MAX];
  if (Count(kFsync, FdPath(fd, buf, sizeof buf))) return Fail();
  return real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync, int (*)(int));
  char buf[PATH_MAX];
  if (Count(kFsync, FdPath(fd, buf, sizeof buf))) return Fail();
  return real_fdatasync(fd);
}

int rename(const char* from, const char* to) {
  REAL(rename, int (*)(const char*, const char*));
  char buf[PATH_MAX];
  if (Count(kRename, Absolute(to, buf, sizeof buf))) return Fail();
  return real_rename(from, to);
}

ssize_t send(int fd, const void* data, size_t size, int flags) {
  REAL(send, ssize_t(*)(int, const void*, size_t, int));
  if (CountSend()) return Fail();
  return real_send(fd, data, size, flags);
}

ssize_t sendto(int fd, const void* data, size_t size, int flags, const struct sockaddr* to,
               socklen_t to_size) {
  REAL(sendto, ssize_t(*)(int, const void*, size_t, int, const struct sockaddr*, socklen_t));
  if (CountSend()) return Fail();
  return real_sendto(fd, data, size, flags, to, to_size);
}

ssize_t sendmsg(int fd, const struct msghdr* message, int flags) {
  REAL(sendmsg, ssize_t(*)(int, const struct msghdr*, int));
  if (CountSend()) return Fail();
  return real_sendmsg(fd, message, flags);
}

int mkdir(const char* path, mode_t mode) {
  REAL(mkdir, int (*)(const char*, mode_t));
  char buf[PATH_MAX];
  if (Count(kMkdir, Absolute(path, buf, sizeof buf))) return Fail();
  return real_mkdir(path, mode);
}

}  // extern "C"
