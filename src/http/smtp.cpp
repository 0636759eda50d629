#include "http/smtp.hpp"

#include <boost/asio.hpp>

#include <cctype>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <utility>

namespace peyvand::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t kMaxReplyBytes = 64 * 1024;  // a server that talks more is not a relay

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || c < 0x20) return false;
  }
  return true;
}

// RFC 2047 encoded words of at most 75 characters each, split on UTF-8 character boundaries.
std::string EncodedWords(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  // 36 bytes → 48 base64 characters + 12 of framing: with "Subject: " in front, a line stays
  // within RFC 5322's 78 characters.
  constexpr std::size_t kChunk = 36;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + kChunk);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (end == i) end = std::min(text.size(), i + kChunk);  // not UTF-8: split anywhere
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64Encode(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

// A display name goes into From: as it is only when it is letters, digits and spaces; anything
// else (specials such as , < " @, or non-ASCII) is an encoded word, which cannot break the header.
std::string DisplayName(std::string_view name) {
  for (unsigned char c : name) {
    if (!std::isalnum(c) && c != ' ') return "=?UTF-8?B?" + Base64Encode(name) + "?=";
  }
  return std::string(name);
}

std::string RfcDate(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

struct Failure : std::runtime_error {
  Failure(const std::string& what, bool permanent)
      : std::runtime_error(what), permanent(permanent) {}
  bool permanent;
};

struct Reply {
  int code = 0;
  std::string text;
};

// One SMTP conversation; every network step has the options' deadline.
class Session {
 public:
  explicit Session(const SmtpOptions& o) : o_(o), socket_(io_), buf_(kMaxReplyBytes) {}
  ~Session() {
    error_code ignored;
    socket_.close(ignored);
  }

  void Connect() {
    tcp::resolver resolver(io_);
    tcp::resolver::results_type endpoints;
    cancel_ = [&resolver] { resolver.cancel(); };
    Await(
        [&](auto done) {
          resolver.async_resolve(o_.host, std::to_string(o_.port),
                                 [&endpoints, done](error_code e, tcp::resolver::results_type r) {
                                   endpoints = std::move(r);
                                   done(e);
                                 });
        },
        "resolve " + o_.host);
    cancel_ = nullptr;
    Await(
        [&](auto done) {
          asio::async_connect(socket_, endpoints,
                              [done](error_code e, const tcp::endpoint&) { done(e); });
        },
        "connect to " + o_.host + ":" + std::to_string(o_.port));
  }

  Reply Read(const std::string& step) {
    Reply reply;
    for (;;) {
      std::size_t n = 0;
      Await(
          [&](auto done) {
            asio::async_read_until(socket_, buf_, "\r\n",
                                   [&n, done](error_code e, std::size_t got) {
                                     n = got;
                                     done(e);
                                   });
          },
          step);
      std::string line(asio::buffers_begin(buf_.data()), asio::buffers_begin(buf_.data()) + n);
      buf_.consume(n);
      line.resize(line.size() - 2);
      if (line.size() < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
          line[2] < '0' || line[2] > '9' || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
        throw Failure(step + ": not an SMTP reply: " + line.substr(0, 80), false);
      }
      int code = std::stoi(line.substr(0, 3));
      if (reply.code != 0 && code != reply.code) {
        throw Failure(step + ": inconsistent multi-line reply", false);
      }
      reply.code = code;
      if (!reply.text.empty()) reply.text += " ";
      reply.text += line.size() > 4 ? line.substr(4) : "";
      if (line.size() == 3 || line[3] == ' ') return reply;
    }
  }

  void Write(const std::string& bytes, const std::string& step) {
    Await(
        [&](auto done) {
          asio::async_write(socket_, asio::buffer(bytes),
                            [done](error_code e, std::size_t) { done(e); });
        },
        step);
  }

  // Sends a command and wants a reply in [lo, hi].
  Reply Command(const std::string& line, int lo, int hi, const std::string& step) {
    Write(line + "\r\n", step);
    return Expect(Read(step), lo, hi, step);
  }

  static Reply Expect(Reply r, int lo, int hi, const std::string& step) {
    if (r.code < lo || r.code > hi) {
      throw Failure(step + ": " + std::to_string(r.code) + " " + r.text.substr(0, 200),
                    r.code >= 500);
    }
    return r;
  }

 private:
  // Starts an asynchronous step and runs the loop until it completes or the deadline passes;
  // on a timeout the socket is closed, which ends the step with operation_aborted.
  template <class Start>
  void Await(Start start, const std::string& step) {
    bool finished = false;
    error_code result;
    start([&finished, &result](error_code e) {
      finished = true;
      result = e;
    });
    io_.restart();
    io_.run_for(o_.timeout);
    if (!finished) {
      error_code ignored;
      if (cancel_) cancel_();
      socket_.close(ignored);
      io_.restart();
      io_.run();
      throw Failure(step + ": timed out", false);
    }
    if (result) throw Failure(step + ": " + result.message(), false);
  }

  const SmtpOptions& o_;
  std::function<void()> cancel_;  // ends a step that is not on the socket (name resolution)
  asio::io_context io_;
  tcp::socket socket_;
  asio::streambuf buf_;
};

// RFC 5321 §4.5.2: a line that starts with "." gets another one.
std::string DotStuffed(const std::string& message) {
  std::string out;
  out.reserve(message.size() + 16);
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  return out;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string Base64Decode(std::string_view text) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (c == '\r' || c == '\n') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return "";  // data after padding
    const char* at = std::char_traits<char>::find(kAlphabet, 64, c);
    if (at == nullptr) return "";
    acc = (acc << 6) | static_cast<unsigned>(at - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (padding > 2) return "";
  return out;
}

bool ValidHostName(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  for (unsigned char c : h) {
    if (!std::isalnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

bool ValidEmailAddress(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || a.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : a) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '(' || c == ')' ||
        c == ',' || c == ';' || c == ':' || c == '\\' || c == '[' || c == ']') {
      return false;
    }
  }
  auto domain = a.substr(at + 1);
  auto dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

std::string FormatMail(const MailMessage& m) {
  std::string out;
  out += "Date: " + RfcDate(m.date_ms) + "\r\n";
  out += "From: ";
  if (!m.from_name.empty()) {
    out += (IsAscii(m.from_name) ? DisplayName(m.from_name) : EncodedWords(m.from_name)) + "\r\n ";
  }
  out += "<" + m.from + ">\r\n";
  out += "To: <" + m.to + ">\r\n";
  out += "Subject: " + EncodedWords(m.subject) + "\r\n";
  if (!m.message_id.empty()) out += "Message-ID: " + m.message_id + "\r\n";
  out += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no auto-replies, please
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  std::string text;
  text.reserve(m.text.size() + 32);
  for (char c : m.text) {
    if (c == '\r') continue;
    if (c == '\n') text += '\r';
    text += c;
  }
  std::string b64 = Base64Encode(text);
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

SmtpResult SendMail(const SmtpOptions& o, const MailMessage& m) {
  SmtpResult result;
  if (o.host.empty()) {
    result.permanent = true;
    result.error = "no SMTP server is configured";
    return result;
  }
  if (!ValidHostName(o.helo)) {
    result.permanent = true;
    result.error = "invalid HELO name";
    return result;
  }
  if (!ValidEmailAddress(m.from) || !ValidEmailAddress(m.to)) {
    result.permanent = true;
    result.error = "invalid sender or recipient address";
    return result;
  }
  try {
    Session s(o);
    s.Connect();
    Session::Expect(s.Read("greeting"), 220, 220, "greeting");
    s.Write("EHLO " + o.helo + "\r\n", "EHLO");
    if (auto r = s.Read("EHLO"); r.code != 250) {
      if (r.code < 500) Session::Expect(r, 250, 250, "EHLO");
      s.Command("HELO " + o.helo, 250, 250, "HELO");
    }
    s.Command("MAIL FROM:<" + m.from + ">", 250, 250, "MAIL FROM");
    s.Command("RCPT TO:<" + m.to + ">", 250, 251, "RCPT TO");
    s.Command("DATA", 354, 354, "DATA");
    s.Write(DotStuffed(FormatMail(m)) + ".\r\n", "message");
    Session::Expect(s.Read("message"), 250, 250, "message");
    try {
      s.Command("QUIT", 221, 221, "QUIT");
    } catch (const Failure&) {
      // The message was accepted; a rude goodbye changes nothing.
    }
    result.ok = true;
  } catch (const Failure& f) {
    result.permanent = f.permanent;
    result.error = f.what();
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace peyvand::http
