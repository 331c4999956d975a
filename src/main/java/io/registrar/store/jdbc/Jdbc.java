package io.registrar.store.jdbc;

import io.registrar.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Transaction and type helpers shared by the JDBC stores. */
final class Jdbc {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Jdbc() {
    }

    /** Runs {@code work} in one transaction: commit on return, rollback on any exception. */
    private static <T> T inTransaction(Database db, Work<T> work) {
        try (Connection c = db.connection()) {
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw storeError(e);
        }
    }

    /**
     * Reads without a transaction of their own (autocommit), so no COMMIT round trip follows the
     * query. Nothing is lost: under READ COMMITTED, the default of both databases, every statement
     * takes its own snapshot inside a transaction too. Not for anything that writes.
     */
    static <T> T read(Database db, Work<T> work) {
        return autocommit(db, work);
    }

    /**
     * A write that is exactly one statement. PostgreSQL commits it by itself (autocommit: one round
     * trip instead of the statement and a COMMIT, durable all the same); embedded H2 goes through the
     * group committer like every write.
     */
    static <T> T writeStatement(Database db, Work<T> work) {
        GroupCommit group = db.groupCommit();
        return group != null ? group.write(work) : autocommit(db, work);
    }

    /**
     * {@link #writeStatement}, except that on embedded H2 it need not wait for the file to be synced
     * to the device ({@link GroupCommit#writeUnsynced}): for what PostgreSQL commits without waiting
     * for its WAL flush.
     */
    static <T> T writeStatementUnsynced(Database db, Work<T> work) {
        GroupCommit group = db.groupCommit();
        return group != null ? group.writeUnsynced(work) : autocommit(db, work);
    }

    private static <T> T autocommit(Database db, Work<T> work) {
        try (Connection c = db.connection()) {
            // The pool hands out connections with autocommit off and restores that on return.
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw storeError(e);
        }
    }

    /**
     * Whether {@code e} failed for want of a working connection rather than because of what it wrote:
     * SQLSTATE class 08 (connection exception, e.g. pgjdbc's socketTimeout firing) or the pool giving
     * up waiting for a connection.
     */
    static boolean isConnectionFailure(StoreException e) {
        return e.getCause() instanceof SQLException sql
                && (sql instanceof java.sql.SQLTransientConnectionException || sql instanceof java.sql.SQLNonTransientConnectionException
                || (sql.getSQLState() != null && sql.getSQLState().startsWith("08")));
    }

    /** A database failure as the store reports it (the SQLException stays the cause). */
    static StoreException storeError(SQLException e) {
        return new StoreException("database error (SQLSTATE " + e.getSQLState() + ")", e);
    }

    /**
     * Runs a write transaction: through the group committer where there is one (embedded H2),
     * otherwise as its own transaction. Same semantics either way: commit on return, undo on any
     * exception, {@link Rollback} to undo without an error.
     */
    static <T> T write(Database db, Work<T> work) {
        GroupCommit group = db.groupCommit();
        return group != null ? group.write(work) : inTransaction(db, work);
    }

    /**
     * PostgreSQL batches: rows (as {@code row} gives them) turned into columns, one array parameter per
     * column for an {@code unnest(…)} whose casts give each column its type.
     */
    static String[][] columns(int rows, java.util.function.IntFunction<String[]> row) {
        String[][] columns = null;
        for (int i = 0; i < rows; i++) {
            String[] values = row.apply(i);
            if (columns == null) {
                columns = new String[values.length][rows];
            }
            for (int column = 0; column < values.length; column++) {
                columns[column][i] = values[column];
            }
        }
        return columns;
    }

    /** {@code sql} with each column bound as a text array; the statement's casts give them their types. */
    static PreparedStatement prepareWithArrays(java.sql.Connection conn, String sql, String[][] columns) throws SQLException {
        PreparedStatement ps = conn.prepareStatement(sql);
        try {
            for (int column = 0; column < columns.length; column++) {
                ps.setArray(column + 1, conn.createArrayOf("varchar", columns[column]));
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** ISO-8601 with Z: PostgreSQL reads it as that UTC instant whatever the session's time zone. */
    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Marker for "this transaction must not commit" that is not an error. */
    static final class Rollback extends RuntimeException {
        Rollback() {
            super(null, null, false, false);
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; Hikari will discard it
        }
    }

    /** A space-separated scope column as a list (empty for an empty column). */
    static java.util.List<String> scopes(String column) {
        return column == null || column.isBlank() ? java.util.List.of() : java.util.Arrays.asList(column.split(" "));
    }

    static void setInstant(PreparedStatement ps, int i, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setObject(i, null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        Object o = rs.getObject(column);
        if (o == null) {
            return null;
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (o instanceof Timestamp ts) {
            return ts.toInstant();
        }
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
