// Status and StatusOr: how every layer of Log Gardener reports failure.
//
// Modelled on leveldb::Status and absl::Status. Codes follow abseil's canonical
// set, with its guidance on what a caller should do:
//   kInvalidArgument    the input or flag is wrong; fix it, do not retry.
//   kNotFound           the thing named does not exist.
//   kDataLoss           input bytes are corrupt (malformed JSON, bad timestamp).
//   kFailedPrecondition state must be fixed first (schema too new, locked file).
//   kUnavailable        transient; retrying the same call may succeed.
//   kResourceExhausted  a quota or limit; back off before retrying.
//   kInternal           a bug or an unexpected library failure.
#ifndef LOG_GARDENER_STATUS_H_
#define LOG_GARDENER_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lg {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kDataLoss,
  kFailedPrecondition,
  kUnavailable,
  kResourceExhausted,
  kIoError,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "DATA_LOSS: logs.ndjson:12: ..." — for logs; people get message().
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Holds either a value or a non-OK Status. REQUIRES: the Status given is not OK.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design
  StatusOr(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace lg

#define LG_STATUS_CONCAT_INNER(a, b) a##b
#define LG_STATUS_CONCAT(a, b) LG_STATUS_CONCAT_INNER(a, b)

#define LG_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::lg::Status lg_status_ = (expr);       \
    if (!lg_status_.ok()) return lg_status_; \
  } while (0)

#define LG_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()

#define LG_ASSIGN_OR_RETURN(lhs, expr) \
  LG_ASSIGN_OR_RETURN_IMPL(LG_STATUS_CONCAT(lg_statusor_, __LINE__), lhs, expr)

#endif  // LOG_GARDENER_STATUS_H_
