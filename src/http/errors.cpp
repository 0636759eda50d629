#include "http/errors.hpp"

#include <boost/json.hpp>

namespace peyvand::http {

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kRefused: return 422;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kLocked: return 423;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

std::string DefaultMessage(int status) {
  switch (status) {
    case 400: return "درخواست نامعتبر است.";
    case 401: return "برای ادامه وارد سامانه شوید.";
    case 403: return "شما اجازهٔ این کار را ندارید.";
    case 404: return "صفحه یا رکورد مورد نظر پیدا نشد.";
    case 405: return "این روش درخواست برای این نشانی پذیرفته نیست.";
    case 408: return "زمان ارسال درخواست به پایان رسید.";
    case 409:
      return "این تغییر با وضعیت فعلی داده‌ها ناسازگار است.";
    case 413: return "حجم درخواست بیش از حد مجاز است.";
    case 415: return "نوع محتوای درخواست پذیرفته نیست.";
    case 423: return "حساب کاربری موقتاً قفل شده است.";
    case 429:
      return "تعداد درخواست‌ها بیش از حد مجاز است؛ کمی بعد "
             "دوباره "
             "تلاش "
             "کنید.";
    case 431: return "سرآیندهای درخواست بیش از حد بزرگ است.";
    case 503: return "سامانه موقتاً در دسترس نیست؛ کمی بعد دوباره تلاش کنید.";
    default:
      return status >= 500 ? "خطای داخلی سامانه رخ داد. لطفاً دوباره تلاش کنید."
                           : "درخواست قابل انجام نیست.";
  }
}

std::string ErrorJson(const Error& error) {
  boost::json::object fields;
  for (const auto& f : error.fields) fields[f.field] = f.message;
  boost::json::object inner;
  inner["code"] = ErrorCodeName(error.code);
  inner["message"] = error.message.empty() ? DefaultMessage(StatusFor(error.code)) : error.message;
  inner["fields"] = std::move(fields);
  boost::json::object outer;
  outer["error"] = std::move(inner);
  return boost::json::serialize(outer);
}

Response JsonError(const Error& error) {
  return Response::Json(ErrorJson(error), StatusFor(error.code));
}

}  // namespace peyvand::http
