// Outgoing e-mail: a plain SMTP client (RFC 5321) for the province's mail relay, and the MIME
// message it sends (RFC 5322 + RFC 2045/2047: UTF-8 text, base64 body, encoded-word subject and
// display name, so Persian arrives intact through any 7-bit relay).
//
// The client is synchronous with a deadline on every step, for the notifications' outbox worker;
// it speaks EHLO (HELO when the server does not know EHLO), MAIL FROM, RCPT TO, DATA and QUIT.
// No TLS or AUTH: it is meant for a relay on the agencies' intranet that accepts the server's
// address (docs/OPERATIONS.md). Boost.Asio stays inside smtp.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace peyvand::http {

struct SmtpOptions {
  std::string host;  // "" → e-mail is off
  std::uint16_t port = 25;
  std::string helo = "peyvand.local";  // the name the client gives in EHLO
  std::chrono::milliseconds timeout{15000};
};

struct MailMessage {
  std::string from;          // an address
  std::string from_name;     // UTF-8 display name, may be empty
  std::string to;            // an address
  std::string subject;       // UTF-8
  std::string text;          // UTF-8 plain text; lines end in \n
  std::string message_id;    // "<…@…>", may be empty
  std::int64_t date_ms = 0;  // UTC milliseconds, for the Date header
};

// The message as sent after DATA, with CRLF line ends and without the final ".".
std::string FormatMail(const MailMessage& m);

struct SmtpResult {
  bool ok = false;
  bool permanent = false;  // a 5xx reply: retrying the same message will not help
  std::string error;       // what went wrong, for the outbox's last_error (English, for admins)
};
SmtpResult SendMail(const SmtpOptions& options, const MailMessage& m);

// Accepts the addresses a person can type and a relay will take: one "@", a non-empty local
// part of printable ASCII without spaces, quotes or angle brackets, a domain with a dot, at most
// 254 bytes.
bool ValidEmailAddress(std::string_view address);
// Letters, digits, '-' and '.' (the EHLO name).
bool ValidHostName(std::string_view name);

// RFC 4648 base64 with padding (exposed for the tests that read messages back).
std::string Base64Encode(std::string_view bytes);
std::string Base64Decode(std::string_view text);  // skips line breaks; "" on bad input

}  // namespace peyvand::http
