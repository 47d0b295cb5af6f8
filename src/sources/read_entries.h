// Decoding the LogEntries of a JSON byte stream (any framing JsonFramer
// knows), on the calling thread or on decoder threads that hand entries over
// in input order; regular files are read by the decoding threads themselves.
#ifndef LOG_GARDENER_SOURCES_READ_ENTRIES_H_
#define LOG_GARDENER_SOURCES_READ_ENTRIES_H_

#include <optional>
#include <string>

#include "log_gardener/source.h"
#include "sources/json_framer.h"

namespace lg {

// Decodes the LogEntries of a JSON byte stream (any framing JsonFramer knows)
// and hands each to `visit`; `name` locates errors ("name:line"). `prepare`
// (optional) runs on the decoding thread for each entry (see EntryPreparer).
Status ReadEntries(ByteReader& reader, const std::string& name, const SourceOptions& options,
                   SourceStats& stats, const EntryVisitor& visit, const EntryPreparer& prepare = {});

// The same, for the regular file `fd` on several threads (options.threads
// != 1): each decoding thread reads the ranges of the file it decodes (pread),
// so reading is spread over the cores too. Returns nullopt, having read
// nothing, when that does not apply (one thread, not a regular file).
// FileSource::Read tries it first. A file that shrinks while it is read
// fails the read with kDataLoss naming it, after the entries before.
std::optional<Status> ReadFileEntries(int fd, const std::string& name, const SourceOptions& options,
                                      SourceStats& stats, const EntryVisitor& visit,
                                      const EntryPreparer& prepare = {});

}  // namespace lg

#endif  // LOG_GARDENER_SOURCES_READ_ENTRIES_H_
