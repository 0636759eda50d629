// Signed copies of resolutions: files outside the database, named by their SHA-256, written
// durably (temporary file, fsync, rename, fsync of the folder) before the transaction that
// records them, and checked against that SHA-256 on every download.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "core/error.hpp"
#include "http/log.hpp"
#include "modules/accounts/crypto.hpp"
#include "modules/accounts/service.hpp"
#include "modules/funding/rules.hpp"
#include "modules/funding/service.hpp"

namespace peyvand::funding {
namespace {

constexpr const char* kDocumentsFolder = "documents";

[[noreturn]] void IoFail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) IoFail("open", path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) IoFail("fsync", path);
}

// Writes `bytes` to `path` so that, once this returns, the file is whole on disk under its
// name: a crash leaves either no file or the complete one, never a torn one.
void WriteDurably(const std::string& folder, const std::string& path, std::string_view bytes) {
  std::string tmp = path + ".tmp-" + accounts::RandomToken(9);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) IoFail("create", tmp);
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      errno = saved;
      IoFail("write", tmp);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int saved = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    errno = saved;
    IoFail("fsync", tmp);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    IoFail("rename", tmp);
  }
  FsyncPath(folder, O_RDONLY | O_DIRECTORY);
}

std::optional<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

Document FundingService::UploadDocument(const accounts::Principal& p, std::int64_t resolution_id,
                                        const std::string& file_name,
                                        const std::string& content_type, std::string_view bytes) {
  RequireManage(p, "uploading a signed resolution");
  if (auto err = CheckDocument(content_type, bytes)) throw AppError(*err);
  bool exists = db_.Read(
      [&](db::Connection& c) { return store::GetResolution(c, resolution_id).has_value(); });
  if (!exists) Fail(ErrorCode::kNotFound, "رکورد مورد نظر پیدا نشد.");

  Document d;
  d.resolution_id = resolution_id;
  d.sha256 = accounts::Sha256Hex(bytes);
  d.size = static_cast<std::int64_t>(bytes.size());
  d.file_name = CleanFileName(file_name);
  d.path = std::string(kDocumentsFolder) + "/" + d.sha256 + ".pdf";
  d.uploaded_by = p.user_id;
  d.uploader_name = p.display_name;
  const std::string folder = data_dir_ + "/" + kDocumentsFolder;
  const std::string full = data_dir_ + "/" + d.path;
  std::filesystem::create_directories(folder);
  // Content-addressed: the same bytes uploaded again reuse the file once it checks out.
  auto existing = ReadWhole(full);
  if (!existing || accounts::Sha256Hex(*existing) != d.sha256) WriteDurably(folder, full, bytes);

  // A file whose transaction then fails is left behind unreferenced; it is never served.
  return db_.Write([&](db::Connection& tx) {
    d.uploaded_at = clock_.NowMillis();
    d.id = store::InsertDocument(tx, d);
    audit_.Append(tx, accounts::AuthService::ActorOf(p), "resolution.document_upload", "resolution",
                  std::to_string(resolution_id),
                  boost::json::serialize(boost::json::object{{"document_id", d.id},
                                                             {"sha256", d.sha256},
                                                             {"size", d.size},
                                                             {"file_name", d.file_name}}));
    return d;
  });
}

DocumentFile FundingService::ReadDocument(std::int64_t resolution_id) {
  auto doc = db_.Read([&](db::Connection& c) { return store::LatestDocument(c, resolution_id); });
  if (!doc) Fail(ErrorCode::kNotFound, "این مصوبه هنوز نسخهٔ امضاشده ندارد.");
  const std::string full = data_dir_ + "/" + doc->path;
  auto bytes = ReadWhole(full);
  std::string actual = bytes ? accounts::Sha256Hex(*bytes) : std::string("missing");
  if (!bytes || actual != doc->sha256) {
    http::LogError("signed resolution document is missing or altered",
                   {{"resolution_id", std::to_string(resolution_id)},
                    {"document_id", std::to_string(doc->id)},
                    {"path", full},
                    {"expected_sha256", doc->sha256},
                    {"actual_sha256", actual}});
    Fail(ErrorCode::kInternal,
         "نسخهٔ امضاشدهٔ این مصوبه با آنچه ثبت شده بود یکی نیست؛ به مدیر سامانه اطلاع دهید.");
  }
  return DocumentFile{*doc, std::move(*bytes)};
}

}  // namespace peyvand::funding
