// Times "spawn an MCP server over stdio → its answer to initialize is read",
// the way a lean client spawns: posix_spawn (glibc uses clone with CLONE_VM
// and CLONE_VFORK, so the parent's size does not matter) and two pipes. Node's
// child_process.spawn forks a ~50 MB process first, which on this kind of VM
// alone takes about 8 ms; bench/spawn.mjs prints both.
//
//   spawn_probe N REQUEST_LINE COMMAND [ARG...]
//
// Each run writes REQUEST_LINE + "\n" to the child's stdin, reads its stdout
// until a line containing "\"id\":1" (or, for /bin/cat as the floor, any
// line), closes stdin and reaps the child. Prints one JSON object:
// {"ms":[...]} (one time per run), or exits 1 with a line on stderr.
// Every wait is bounded: a child silent for 10 s is killed and the probe fails.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace {

constexpr int kReplyTimeoutMs = 10000;

double NowMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "spawn_probe: %s\n", what.c_str());
  std::exit(1);
}

// Reaps `pid`, killing it if it has not exited within `grace_ms`.
void Reap(pid_t pid, int grace_ms) {
  for (int waited = 0; waited < grace_ms; ++waited) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    usleep(1000);
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

// Reads from `fd` until a complete line that contains `marker` (any line when
// `marker` is empty). False on EOF, error or timeout.
bool ReadReply(int fd, const std::string& marker) {
  std::string buffered;
  char chunk[65536];
  double deadline = NowMs() + kReplyTimeoutMs;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>(deadline - NowMs());
    if (left <= 0 || poll(&p, 1, left) <= 0) return false;
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffered.append(chunk, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; (nl = buffered.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string_view line(buffered.data() + start, nl - start);
      if (marker.empty() || line.find(marker) != std::string_view::npos) return true;
    }
    buffered.erase(0, start);
  }
}

double RunOnce(const std::string& request, char** argv, const std::string& marker) {
  int to_child[2];
  int from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
    Die(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);

  double t0 = NowMs();
  pid_t pid = 0;
  int err = posix_spawn(&pid, argv[0], &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) Die(std::string("cannot start ") + argv[0] + ": " + std::strerror(err));
  close(to_child[0]);
  close(from_child[1]);
  std::string line = request + "\n";
  // A child that exits (or closes stdin) without reading is not an error to
  // die of: the write then fails with EPIPE (SIGPIPE is ignored, see main),
  // and what it printed decides, as for any child that does not answer.
  for (std::size_t sent = 0; sent < line.size();) {
    ssize_t n = write(to_child[1], line.data() + sent, line.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EPIPE) break;
    if (n < 0) Die(std::string("cannot write the request to the child: ") + std::strerror(errno));
    sent += static_cast<std::size_t>(n);
  }
  bool answered = ReadReply(from_child[0], marker);
  double elapsed = NowMs() - t0;
  close(to_child[1]);  // EOF: an MCP server over stdio exits on it
  close(from_child[0]);
  Reap(pid, 5000);
  if (!answered) Die(std::string(argv[0]) + " did not answer within 10 s");
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: spawn_probe N REQUEST_LINE COMMAND [ARG...]\n");
    return 2;
  }
  // A child that exits before reading its request must not kill the probe:
  // under load it can be gone before the write (seen with /bin/echo in CI).
  std::signal(SIGPIPE, SIG_IGN);
  int runs = std::atoi(argv[1]);
  if (runs <= 0) {
    std::fprintf(stderr, "spawn_probe: N must be a positive number\n");
    return 2;
  }
  std::string request = argv[2];
  char** command = argv + 3;
  // /bin/cat echoes the request: the floor, where any line is the answer.
  std::string marker = std::strstr(command[0], "/cat") ? "" : "\"id\":1";
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    times.push_back(RunOnce(request, command, marker));
    usleep(20000);  // as spawn.mjs: let the machine settle between runs
  }
  std::printf("{\"ms\":[");
  for (std::size_t i = 0; i < times.size(); ++i) std::printf("%s%.3f", i ? "," : "", times[i]);
  std::printf("]}\n");
  return 0;
}
