// Runs a child process (fork + execv, no shell) and captures its output, for
// tests of command-line tools. Run() waits for exit; Spawn() leaves the child
// running so a test can signal it. For tests only; not thread-safe.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace kgraph::testing {

struct ProcessResult {
  int exit_code = -1;  // valid iff !signaled
  bool signaled = false;
  int signal = 0;
  std::string out;
  std::string err;
};

// A running child whose stdout and stderr are pipes; `pid` < 0 if the fork
// failed. The caller reaps it with Wait().
struct Child {
  pid_t pid = -1;
  int out_fd = -1;
  int err_fd = -1;
};

inline Child Spawn(const std::vector<std::string>& argv) {
  Child c;
  int out[2], err[2];
  if (::pipe(out) != 0) return c;
  if (::pipe(err) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return c;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::close(out[0]);
    ::close(out[1]);
    ::close(err[0]);
    ::close(err[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  if (pid < 0) {
    ::close(out[0]);
    ::close(err[0]);
    return c;
  }
  c.pid = pid;
  c.out_fd = out[0];
  c.err_fd = err[0];
  return c;
}

// Reads whatever is available on `fd` within `timeout_ms` into `buf`.
// Returns false once the pipe is at EOF.
inline bool ReadSome(int fd, std::string* buf, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return true;
  char chunk[4096];
  ssize_t n = ::read(fd, chunk, sizeof chunk);
  if (n <= 0) return false;
  buf->append(chunk, static_cast<size_t>(n));
  return true;
}

// Drains both pipes to EOF, then reaps the child.
inline ProcessResult Wait(Child c, std::string already_err = "") {
  ProcessResult r;
  r.err = std::move(already_err);
  bool out_open = c.out_fd >= 0, err_open = c.err_fd >= 0;
  while (out_open || err_open) {
    pollfd fds[2] = {{out_open ? c.out_fd : -1, POLLIN, 0}, {err_open ? c.err_fd : -1, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) break;
    char chunk[4096];
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = ::read(c.out_fd, chunk, sizeof chunk);
      if (n > 0) r.out.append(chunk, static_cast<size_t>(n));
      else out_open = false;
    }
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = ::read(c.err_fd, chunk, sizeof chunk);
      if (n > 0) r.err.append(chunk, static_cast<size_t>(n));
      else err_open = false;
    }
  }
  if (c.out_fd >= 0) ::close(c.out_fd);
  if (c.err_fd >= 0) ::close(c.err_fd);
  int status = 0;
  if (c.pid > 0 && ::waitpid(c.pid, &status, 0) == c.pid) {
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) {
      r.signaled = true;
      r.signal = WTERMSIG(status);
    }
  }
  return r;
}

// Runs argv[0] (a path, not searched in $PATH) to completion.
inline ProcessResult Run(const std::vector<std::string>& argv) { return Wait(Spawn(argv)); }

// "$KGRAPH_BIN/tools/kgraph-admin"; if KGRAPH_BIN is unset, the path the
// build compiled in as KGRAPH_ADMIN_BINARY; otherwise "".
inline std::string AdminBinary() {
  const char* bin = std::getenv("KGRAPH_BIN");
  if (bin && *bin) return std::string(bin) + "/tools/kgraph-admin";
#ifdef KGRAPH_ADMIN_BINARY
  return KGRAPH_ADMIN_BINARY;
#else
  return std::string();
#endif
}

}  // namespace kgraph::testing
