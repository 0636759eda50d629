// The SMTP client and its MIME message, against the tests' local SMTP sink.
#include "http/smtp.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/smtp_sink.hpp"

namespace peyvand::http {
namespace {

MailMessage Sample(const std::string& to = "manager@welfare.example") {
  MailMessage m;
  m.from = "peyvand@province.example";
  m.from_name = "سامانهٔ پیوند";
  m.to = to;
  m.subject = "پیوند: ۱۲ وظیفه در کارتابل بهزیستی بیش از ۲۴ ساعت از موعد قانونی گذشته است";
  m.text = "سلام،\n.این خط با نقطه شروع می‌شود\nپایان\n";
  m.message_id = "<peyvand-1@province.example>";
  m.date_ms = 1'796'000'000'000;
  return m;
}

TEST(Base64, KnownVectorsAndRoundTrip) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  for (std::string s : {"", "a", "ab", "abc", "پیوند", "\x01\xff\x80"}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
  }
  EXPECT_EQ(Base64Decode("Zm9v\r\nYmFy"), "foobar");
  EXPECT_EQ(Base64Decode("Zm9v*"), "");
  EXPECT_EQ(Base64Decode("Zg==Zg"), "");
}

TEST(EmailAddress, AcceptsWhatARelayTakes) {
  EXPECT_TRUE(ValidEmailAddress("a@b.ir"));
  EXPECT_TRUE(ValidEmailAddress("welfare.agency-manager@peyvand.example"));
  EXPECT_FALSE(ValidEmailAddress(""));
  EXPECT_FALSE(ValidEmailAddress("no-at.example"));
  EXPECT_FALSE(ValidEmailAddress("@b.ir"));
  EXPECT_FALSE(ValidEmailAddress("a@b"));
  EXPECT_FALSE(ValidEmailAddress("a@b."));
  EXPECT_FALSE(ValidEmailAddress("a@@b.ir"));
  EXPECT_FALSE(ValidEmailAddress("a b@c.ir"));
  EXPECT_FALSE(ValidEmailAddress("a@b..ir"));
  EXPECT_FALSE(ValidEmailAddress("a<b>@c.ir"));
  EXPECT_FALSE(ValidEmailAddress("مدیر@b.ir"));
  EXPECT_FALSE(ValidEmailAddress("a@b.ir\r\nRCPT TO:<x@y.z>"));
  EXPECT_FALSE(ValidEmailAddress(std::string(250, 'a') + "@b.ir"));
}

TEST(FormatMail, HeadersAre7BitAndTheTextSurvives) {
  std::string msg = FormatMail(Sample());
  for (unsigned char c : msg) ASSERT_LT(c, 0x80) << "a byte above 7 bits in the message";
  // Every header line, folded, stays within RFC 5322's 78 characters.
  std::size_t pos = 0;
  while (pos < msg.size()) {
    auto end = msg.find("\r\n", pos);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - pos, 78u) << msg.substr(pos, end - pos);
    pos = end + 2;
  }
  EXPECT_NE(msg.find("Date: "), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Message-ID: <peyvand-1@province.example>\r\n"), std::string::npos);
  test::SinkMail parsed;
  parsed.data = msg;
  EXPECT_EQ(parsed.Subject(), Sample().subject);
  EXPECT_EQ(parsed.Text(),
            "سلام،\r\n.این خط با نقطه شروع می‌شود\r\nپایان\r\n");
}

TEST(FormatMail, NothingTheTextHoldsCanAddAHeaderOrHang) {
  MailMessage m = Sample();
  m.subject = "گزارش\r\nBcc: spy@evil.example\r\n";
  m.from_name = "Peyvand\r\nBcc: spy@evil.example, <x@y.z>";
  std::string msg = FormatMail(m);
  EXPECT_EQ(msg.find("\r\nBcc:"), std::string::npos) << msg;
  test::SinkMail parsed;
  parsed.data = msg;
  EXPECT_EQ(parsed.Subject(), m.subject);
  EXPECT_NE(msg.find("Auto-Submitted: auto-generated\r\n"), std::string::npos);
  // An ASCII name with specials is encoded, not pasted in.
  m.from_name = "Ops, \"Peyvand\" <admin@x.ir>";
  msg = FormatMail(m);
  EXPECT_EQ(msg.find("<admin@x.ir>"), std::string::npos) << msg;
  // Not UTF-8 (a run of continuation bytes): still encoded, in bounded words.
  m.subject = std::string(200, '\x80');
  parsed.data = FormatMail(m);
  EXPECT_EQ(parsed.Subject(), m.subject);
}

TEST(SendMail, RefusesABadHeloName) {
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = 1;
  o.helo = "peyvand\r\nRCPT TO:<x@y.z>";
  auto r = SendMail(o, Sample());
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.permanent);
  EXPECT_TRUE(ValidHostName("peyvand.province.example"));
  EXPECT_FALSE(ValidHostName(""));
  EXPECT_FALSE(ValidHostName("a b"));
}

TEST(SendMail, DeliversToTheSink) {
  test::SmtpSink sink;
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = static_cast<std::uint16_t>(sink.port());
  auto r = SendMail(o, Sample());
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_TRUE(sink.WaitFor(1, 2000));
  auto mails = sink.Mails();
  EXPECT_EQ(mails[0].from, "peyvand@province.example");
  EXPECT_EQ(mails[0].to, "manager@welfare.example");
  EXPECT_EQ(mails[0].Subject(), Sample().subject);
}

TEST(SendMail, TellsTransientFromPermanentRefusals) {
  test::SmtpSink sink;
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = static_cast<std::uint16_t>(sink.port());
  sink.RefuseNext(1, "451 4.3.0 try again later");
  auto transient = SendMail(o, Sample());
  EXPECT_FALSE(transient.ok);
  EXPECT_FALSE(transient.permanent);
  EXPECT_NE(transient.error.find("451"), std::string::npos) << transient.error;
  sink.RefuseNext(1, "554 5.7.1 rejected");
  auto permanent = SendMail(o, Sample());
  EXPECT_FALSE(permanent.ok);
  EXPECT_TRUE(permanent.permanent);
  EXPECT_TRUE(SendMail(o, Sample()).ok);
  EXPECT_EQ(sink.refused(), 2);
  EXPECT_EQ(sink.Mails().size(), 1u);
}

TEST(SendMail, RefusesBadAddressesWithoutConnecting) {
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = 1;  // nothing listens there; an attempt would fail differently
  auto r = SendMail(o, Sample("x@y.z>\r\nDATA"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.permanent);
  EXPECT_NE(r.error.find("invalid"), std::string::npos) << r.error;
}

TEST(SendMail, ReportsAnUnreachableOrSilentServer) {
  // A port that was just free: connection refused.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = ntohs(addr.sin_port);
  o.timeout = std::chrono::milliseconds(300);
  auto refused = SendMail(o, Sample());
  EXPECT_FALSE(refused.ok);
  EXPECT_FALSE(refused.permanent);
  // Listening but never speaking: the greeting times out.
  ASSERT_EQ(::listen(fd, 4), 0);
  auto silent = SendMail(o, Sample());
  EXPECT_FALSE(silent.ok);
  EXPECT_NE(silent.error.find("timed out"), std::string::npos) << silent.error;
  ::close(fd);
}

}  // namespace
}  // namespace peyvand::http
