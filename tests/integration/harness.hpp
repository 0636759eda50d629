// Integration harness: a real `peyvand` process on port 0 with its own data
// folder and database (a fresh SQLite file, or a fresh PostgreSQL database when
// PEYVAND_TEST_BACKEND=postgres), and a minimal HTTP/1.1 client on raw sockets
// so tests can also misbehave (slow, oversize, half-closed).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace peyvand::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& name) const;
};

class Client {
 public:
  explicit Client(int port) : port_(port) {}
  HttpResponse Request(const std::string& method, const std::string& target,
                       const std::string& body = "",
                       const std::vector<std::pair<std::string, std::string>>& headers = {});
  HttpResponse Get(const std::string& target, const std::string& token = "");
  HttpResponse PostJson(const std::string& target, const std::string& json,
                        const std::string& token = "");
  HttpResponse PatchJson(const std::string& target, const std::string& json,
                         const std::string& token = "");
  std::string Login(const std::string& username,
                    const std::string& password);  // bearer token or ""

 private:
  int port_;
};

// Raw connection for misbehaving clients.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  void Send(const std::string& bytes);
  void ShutdownWrite();
  // Reads until the peer closes or timeout_ms passes; returns what arrived.
  std::string ReadAll(int timeout_ms);
  bool PeerClosed(int timeout_ms);

 private:
  int fd_ = -1;
};

class ServerProcess {
 public:
  // Creates a scratch folder; for PostgreSQL, a new database on the test cluster.
  ServerProcess();
  ~ServerProcess();
  // Writes data/peyvand.toml with extra TOML before the first Start().
  void WriteConfig(const std::string& toml);
  void Start();
  // Extra environment for the server process (before Start()).
  void SetEnv(const std::string& name, const std::string& value) { env_[name] = value; }
  void Stop();   // SIGTERM and wait; returns once the process has exited
  void Kill9();  // SIGKILL and reap
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  int exit_status() const { return exit_status_; }
  // Runs `peyvand <args>` against the same data folder/database; returns exit code.
  int RunCli(const std::string& args, std::string* output = nullptr);
  // Runs SQL directly on the database (sqlite3 or psql CLI), for tampering tests.
  void RawSql(const std::string& sql);
  std::string AdminPassword();  // from data/demo-logins.txt after seeding
  std::string PasswordOf(const std::string& username);
  bool postgres() const { return !pg_url_.empty(); }
  Client client() const { return Client(port_); }

 private:
  std::string dir_;
  std::string pg_url_;
  int pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
  std::string EnvPrefix() const;
  std::map<std::string, std::string> env_;
};

std::string JsonField(const std::string& json,
                      const std::string& key);  // top-level string/number field

}  // namespace peyvand::test
