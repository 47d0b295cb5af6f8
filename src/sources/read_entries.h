// Decoding the LogEntries of a JSON byte stream (any framing JsonFramer
// knows), on the calling thread or on decoder threads that hand entries over
// in input order; large regular files are decoded straight from a mapping.
#ifndef LOG_GARDENER_SOURCES_READ_ENTRIES_H_
#define LOG_GARDENER_SOURCES_READ_ENTRIES_H_

#include <optional>
#include <string>

#include "log_gardener/source.h"
#include "sources/json_framer.h"

namespace lg {

// Decodes the LogEntries of a JSON byte stream (any framing JsonFramer knows)
// and hands each to `visit`; `name` locates errors ("name:line").
Status ReadEntries(ByteReader& reader, const std::string& name, const SourceOptions& options,
                   SourceStats& stats, const EntryVisitor& visit);

// The same, decoding on several threads (options.threads != 1) straight from
// a read-only mapping of the regular file `fd` (no copy; pages handed over
// are released as it goes). Returns nullopt, having read nothing, when that
// does not apply: one thread, not a regular file, smaller than 16 MiB (or
// than two batches when options.batch_bytes is set), or mmap fails.
// FileSource::Read tries it first. A file that shrinks while it is read ends
// the process (SIGBUS) with a message naming it and exit status 3 (unreadable input).
std::optional<Status> ReadMappedEntries(int fd, const std::string& name, const SourceOptions& options,
                                        SourceStats& stats, const EntryVisitor& visit);

}  // namespace lg

#endif  // LOG_GARDENER_SOURCES_READ_ENTRIES_H_
