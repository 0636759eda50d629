#include "integration/harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <sys/stat.h>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace peyvand::test {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  return fd;
}

void SendAll(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads one response (Content-Length framed, or until close).
HttpResponse ReadResponse(int fd) {
  std::string buf;
  char chunk[65536];
  std::size_t header_end = std::string::npos;
  while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) throw std::runtime_error("connection closed before response headers");
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  HttpResponse r;
  std::istringstream head(buf.substr(0, header_end));
  std::string line;
  std::getline(head, line);
  r.status = std::stoi(line.substr(9, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[Lower(line.substr(0, colon))] = value;
  }
  std::string body = buf.substr(header_end + 4);
  auto cl = r.headers.find("content-length");
  if (cl != r.headers.end()) {
    std::size_t want = std::stoul(cl->second);
    while (body.size() < want) {
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) throw std::runtime_error("connection closed inside the body");
      body.append(chunk, static_cast<std::size_t>(n));
    }
  }
  r.body = body;
  return r;
}

std::string Shell(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("popen failed");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = ::pclose(p);
  if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse Client::Request(const std::string& method, const std::string& target,
                             const std::string& body,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
  int fd = Connect(port_);
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  try {
    try {
      SendAll(fd, req);
    } catch (const std::exception&) {
      // The server may answer (413) and stop reading before the body is sent.
    }
    auto r = ReadResponse(fd);
    ::close(fd);
    return r;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

HttpResponse Client::Get(const std::string& target, const std::string& token) {
  std::vector<std::pair<std::string, std::string>> h;
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  return Request("GET", target, "", h);
}

HttpResponse Client::PostJson(const std::string& target, const std::string& json,
                              const std::string& token) {
  std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  return Request("POST", target, json, h);
}

HttpResponse Client::PatchJson(const std::string& target, const std::string& json,
                               const std::string& token) {
  std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  return Request("PATCH", target, json, h);
}

std::string Client::Login(const std::string& username, const std::string& password) {
  boost::json::object o{{"username", username}, {"password", password}};
  auto r = PostJson("/api/v1/auth/login", boost::json::serialize(o));
  if (r.status != 200) return "";
  return JsonField(r.body, "token");
}

RawConnection::RawConnection(int port) : fd_(Connect(port)) {}
RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}
void RawConnection::Send(const std::string& bytes) {
  SendAll(fd_, bytes);
}
void RawConnection::ShutdownWrite() {
  ::shutdown(fd_, SHUT_WR);
}

std::string RawConnection::ReadAll(int timeout_ms) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) break;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

bool RawConnection::PeerClosed(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
}

ServerProcess::ServerProcess() {
  char tmpl[] = "/tmp/peyvand-it-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  ::mkdir((dir_ + "/data").c_str(), 0700);
  if (Env("PEYVAND_TEST_BACKEND") == "postgres") {
    std::string base = Env("PEYVAND_TEST_PG_URL");
    if (base.empty())
      throw std::runtime_error(
          "PEYVAND_TEST_BACKEND=postgres needs PEYVAND_TEST_PG_URL (scripts/test starts a "
          "cluster)");
    std::string name = "t" + dir_.substr(dir_.rfind('-') + 1);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    int st = 0;
    auto out = Shell(
        "psql " + Quote(base) + " -v ON_ERROR_STOP=1 -qc " + Quote("CREATE DATABASE " + name), &st);
    if (st != 0) throw std::runtime_error("cannot create test database: " + out);
    pg_url_ = base.substr(0, base.rfind('/') + 1) + name;
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill9();
  if (std::getenv("PEYVAND_TEST_KEEP") == nullptr) Shell("rm -rf " + Quote(dir_), nullptr);
}

void ServerProcess::WriteConfig(const std::string& toml) {
  std::ofstream(dir_ + "/data/peyvand.toml") << toml;
}

std::string ServerProcess::EnvPrefix() const {
  std::string env = "PEYVAND_ARGON2_MEM_KIB=8192 PEYVAND_LOGIN_IP_ATTEMPTS=1000 ";
  if (!pg_url_.empty()) env += "PEYVAND_DATABASE_URL=" + Quote(pg_url_) + " ";
  return env;
}

void ServerProcess::Start() {
  int out_pipe[2];
  if (::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  std::string bin = Env("PEYVAND_BIN");
  std::string web = Env("PEYVAND_WEB_ROOT");
  // Everything the child needs is made before fork: the tests run threads (SMTP sink, log
  // drains), and a child of a threaded process may only call async-signal-safe functions until
  // it execs — a malloc in setenv there can wait forever for a lock another thread held.
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  vars["PEYVAND_ARGON2_MEM_KIB"] = "8192";
  vars["PEYVAND_LOGIN_IP_ATTEMPTS"] = "1000";
  if (!pg_url_.empty()) vars["PEYVAND_DATABASE_URL"] = pg_url_;
  for (const auto& [k, v] : env_) vars[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : vars) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args{bin, "serve", "--port", "0", "--web-root", web};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string log = dir_ + "/server.log";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    if (::chdir(dir_.c_str()) != 0) _exit(127);
    int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    ::execve(bin.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  ::close(out_pipe[1]);
  pid_ = pid;
  // Wait for the readiness line on stdout (no sleeps).
  FILE* out = ::fdopen(out_pipe[0], "r");
  char line[4096];
  port_ = 0;
  while (std::fgets(line, sizeof line, out)) {
    std::string s(line);
    auto at = s.find("listening on http://");
    if (at != std::string::npos) {
      port_ = std::stoi(s.substr(s.rfind(':') + 1));
      break;
    }
  }
  if (port_ == 0) throw std::runtime_error("server did not start; see " + dir_ + "/server.log");
  // Keep draining stdout (access log) in the background so the server never blocks on a full pipe.
  // The rest goes to stdout.log for diagnosis.
  std::thread([out, path = dir_ + "/stdout.log"] {
    FILE* log = std::fopen(path.c_str(), "a");
    char buf[4096];
    while (std::fgets(buf, sizeof buf, out)) {
      if (log) std::fputs(buf, log);
    }
    if (log) std::fclose(log);
    std::fclose(out);
  }).detach();
}

void ServerProcess::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int st = 0;
  ::waitpid(pid_, &st, 0);
  exit_status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  pid_ = -1;
}

void ServerProcess::Kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int st = 0;
  ::waitpid(pid_, &st, 0);
  exit_status_ = -1;
  pid_ = -1;
}

int ServerProcess::RunCli(const std::string& args, std::string* output) {
  int st = 0;
  std::string out = Shell(
      "cd " + Quote(dir_) + " && " + EnvPrefix() + Quote(Env("PEYVAND_BIN")) + " " + args, &st);
  if (output) *output = out;
  return st;
}

void ServerProcess::RawSql(const std::string& sql) {
  int st = 0;
  std::string out;
  if (pg_url_.empty()) {
    out = Shell("sqlite3 " + Quote(dir_ + "/data/peyvand.db") + " " + Quote(sql), &st);
  } else {
    out = Shell("psql " + Quote(pg_url_) + " -v ON_ERROR_STOP=1 -qc " + Quote(sql), &st);
  }
  if (st != 0) throw std::runtime_error("raw SQL failed: " + out);
}

std::string ServerProcess::PasswordOf(const std::string& username) {
  std::ifstream in(dir_ + "/data/demo-logins.txt");
  std::string user, pass, rest;
  while (in >> user >> pass) {
    std::getline(in, rest);
    if (user == username) return pass;
  }
  return "";
}

std::string ServerProcess::AdminPassword() {
  return PasswordOf("admin");
}

std::string JsonField(const std::string& json, const std::string& key) {
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return "";
  auto* f = v.as_object().if_contains(key);
  if (!f) return "";
  if (f->is_string()) return std::string(f->as_string());
  if (f->is_int64()) return std::to_string(f->as_int64());
  return boost::json::serialize(*f);
}

}  // namespace peyvand::test
