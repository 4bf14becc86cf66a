#pragma once
// Thin RAII layer over the SQLite C API for the media library (internal to sw_library).
// Every handle is owned by a unique_ptr, so an early error return closes/finalizes it.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace sw::library::db {

struct DbCloser {
    // close_v2: safe even if a statement were still alive (it then closes when that is finalized).
    void operator()(sqlite3* d) const { sqlite3_close_v2(d); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// An error for a failed database operation: the user learns which index and what to do, the
// detail carries SQLite's own message.
inline core::Error db_error(sqlite3* d, const std::string& what)
{
    const char* file = d ? sqlite3_db_filename(d, "main") : nullptr;
    std::string where = file && *file ? std::string(" (") + file + ")" : "";
    return core::Error{core::ErrorCategory::Io,
                       "the media library index" + where + " could not be " + what +
                           " — check free disk space and permissions, or delete the index file to rebuild it",
                       d ? sqlite3_errmsg(d) : "", {}};
}

inline core::Status exec(sqlite3* d, const char* sql, const std::string& what = "updated")
{
    char* msg = nullptr;
    if (sqlite3_exec(d, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        core::Error e = db_error(d, what);
        if (msg)
            e.detail = msg;
        sqlite3_free(msg);
        return tl::unexpected(std::move(e));
    }
    return {};
}

class Stmt {
public:
    static core::Result<Stmt> prepare(sqlite3* d, std::string_view sql)
    {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(d, sql.data(), (int)sql.size(), &raw, nullptr) != SQLITE_OK)
            return tl::unexpected(db_error(d, "read"));
        Stmt s;
        s.m_db = d;
        s.m_stmt.reset(raw);
        return s;
    }

    Stmt& bind(int i, int64_t v)
    {
        sqlite3_bind_int64(m_stmt.get(), i, v);
        return *this;
    }
    Stmt& bind(int i, std::string_view v)
    {
        sqlite3_bind_text(m_stmt.get(), i, v.data(), (int)v.size(), SQLITE_TRANSIENT);
        return *this;
    }

    // true: a row is ready; false: done. Errors (busy, I/O, bad MATCH syntax) as Io.
    core::Result<bool> step(const std::string& what = "read")
    {
        int rc = sqlite3_step(m_stmt.get());
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        return tl::unexpected(db_error(m_db, what));
    }
    // Runs a statement that returns no rows, then resets it for the next bindings.
    core::Status run(const std::string& what = "updated")
    {
        auto r = step(what);
        reset();
        if (!r)
            return tl::unexpected(r.error());
        return {};
    }
    void reset()
    {
        sqlite3_reset(m_stmt.get());
        sqlite3_clear_bindings(m_stmt.get());
    }

    int64_t int64(int col) const { return sqlite3_column_int64(m_stmt.get(), col); }
    double real(int col) const { return sqlite3_column_double(m_stmt.get(), col); }
    std::string text(int col) const
    {
        const unsigned char* t = sqlite3_column_text(m_stmt.get(), col);
        return t ? std::string(reinterpret_cast<const char*>(t), (size_t)sqlite3_column_bytes(m_stmt.get(), col))
                 : std::string();
    }

private:
    sqlite3* m_db = nullptr;
    StmtPtr m_stmt;
};

// BEGIN on construction (by the caller), ROLLBACK on destruction unless committed: an error
// return part-way through a bulk update leaves the index as it was.
class Transaction {
public:
    static core::Result<Transaction> begin(sqlite3* d)
    {
        SW_TRY_STATUS(exec(d, "BEGIN IMMEDIATE", "locked for writing"));
        return Transaction(d);
    }
    Transaction(Transaction&& o) noexcept : m_db(o.m_db) { o.m_db = nullptr; }
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction()
    {
        if (m_db)
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    core::Status commit()
    {
        sqlite3* d = m_db;
        m_db = nullptr;
        return exec(d, "COMMIT");
    }

private:
    explicit Transaction(sqlite3* d) : m_db(d) {}
    sqlite3* m_db;
};

}  // namespace sw::library::db
