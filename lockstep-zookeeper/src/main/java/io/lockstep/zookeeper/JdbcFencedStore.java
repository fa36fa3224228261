package io.lockstep.zookeeper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link FencedStore} of strings in a table of a SQL database, reached through JDBC: the
 * fence check is part of each {@code UPDATE}'s {@code WHERE} clause, so the database makes check
 * and change one atomic step.
 *
 * <pre>{@code
 * JdbcFencedStore store = new JdbcFencedStore(dataSource, "fenced");
 * store.createTableIfMissing();
 * }</pre>
 *
 * <p>The table: {@code (k VARCHAR(255) PRIMARY KEY, fence BIGINT NOT NULL, v VARCHAR(4096))};
 * a key that has been read but never written has a NULL {@code v}. Tested on H2; the SQL is
 * standard (a database whose UPDATE counts only changed rows, as MySQL does by default, needs
 * its "found rows" option).
 */
public final class JdbcFencedStore implements FencedStore<String> {
    /*
     * Implementation notes.
     * write: UPDATE ... SET fence = t, v = ? WHERE k = ? AND fence <= t; if no row matched, the
     *   key is new (INSERT) or fenced above t (refused). An INSERT that loses a race to another
     *   one violates the primary key even while the winner has not committed, and then neither
     *   the UPDATE nor the SELECT sees the row yet: that case is undecided, not stale (refusing
     *   it was a bug: a token above the fence was refused). Undecided rounds wait briefly and
     *   retry, a bounded number of times.
     * read: the same fence-raising UPDATE (without v) and a SELECT, in one transaction: the
     *   UPDATE's row lock keeps every other request out until the read commits.
     * Every statement is prepared (no value reaches the SQL text); the table name is checked
     * against a plain identifier pattern, as it cannot be a parameter.
     */
    /** Rounds of waiting for another request's INSERT to commit: about 0.2 s in all. */
    private static final int UNDECIDED_ATTEMPTS = 200;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final String table;

    /**
     * A store in {@code table} of {@code dataSource}'s database.
     *
     * @throws IllegalArgumentException if {@code table} is not a plain SQL identifier
     */
    public JdbcFencedStore(DataSource dataSource, String table) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(table, "table");
        if (!IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("not a plain SQL table name: \"" + table + "\"");
        }
        this.table = table;
    }

    /** Creates the table unless it exists. */
    public void createTableIfMissing() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table
                    + " (k VARCHAR(255) PRIMARY KEY, fence BIGINT NOT NULL, v VARCHAR(4096))");
        } catch (SQLException e) {
            throw new FencedStoreException("cannot create table " + table, e);
        }
    }

    @Override
    public Optional<String> read(String key, long token) {
        Objects.requireNonNull(key, "key");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!raise(c, key, token, null, false)) {
                    c.rollback();
                    throw stale(c, key, token);
                }
                String value;
                try (PreparedStatement s = c.prepareStatement("SELECT v FROM " + table + " WHERE k = ?")) {
                    s.setString(1, key);
                    try (ResultSet r = s.executeQuery()) {
                        value = r.next() ? r.getString(1) : null;
                    }
                }
                c.commit();
                return Optional.ofNullable(value);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new FencedStoreException("fenced read of \"" + key + "\" in " + table + " failed", e);
        }
    }

    @Override
    public void write(String key, long token, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!raise(c, key, token, value, true)) throw stale(c, key, token);
        } catch (SQLException e) {
            throw new FencedStoreException("fenced write of \"" + key + "\" in " + table + " failed", e);
        }
    }

    @Override
    public OptionalLong fence(String key) {
        Objects.requireNonNull(key, "key");
        try (Connection c = dataSource.getConnection()) {
            return currentFence(c, key);
        } catch (SQLException e) {
            throw new FencedStoreException("reading the fence of \"" + key + "\" in " + table + " failed", e);
        }
    }

    /**
     * Raises the fence of {@code key} to {@code token} (and sets the value if {@code setValue}),
     * creating the row if missing; false if the fence is above {@code token}.
     */
    private boolean raise(Connection c, String key, long token, String value, boolean setValue) throws SQLException {
        String update = setValue
                ? "UPDATE " + table + " SET fence = ?, v = ? WHERE k = ? AND fence <= ?"
                : "UPDATE " + table + " SET fence = ? WHERE k = ? AND fence <= ?";
        for (int attempt = 0; ; attempt++) {
            try (PreparedStatement s = c.prepareStatement(update)) {
                int i = 1;
                s.setLong(i++, token);
                if (setValue) s.setString(i++, value);
                s.setString(i++, key);
                s.setLong(i, token);
                if (s.executeUpdate() == 1) return true;
            }
            OptionalLong fence = currentFence(c, key);
            if (fence.isPresent() && fence.getAsLong() > token) return false;
            if (fence.isEmpty() && insert(c, key, token, value)) return true;
            // Undecided: the row is another request's uncommitted INSERT, or it committed after
            // this UPDATE looked. Either ends soon; wait a little, then let the UPDATE decide.
            if (attempt == UNDECIDED_ATTEMPTS) {
                throw new FencedStoreException("fenced change of \"" + key + "\" in " + table
                        + " still undecided after " + attempt + " attempts (a concurrent INSERT never committed)", null);
            }
            if (attempt > 0) LockSupport.parkNanos(Math.min(attempt, 20) * 50_000L);
        }
    }

    /** Inserts the row; false if another request's INSERT of the key got there first. */
    private boolean insert(Connection c, String key, long token, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (k, fence, v) VALUES (?, ?, ?)")) {
            s.setString(1, key);
            s.setLong(2, token);
            s.setString(3, value);
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            // 23xxx: integrity constraint: the key exists, committed or not.
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) throw e;
            return false;
        }
    }

    private OptionalLong currentFence(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT fence FROM " + table + " WHERE k = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    private StaleTokenException stale(Connection c, String key, long token) throws SQLException {
        return new StaleTokenException(key, token, currentFence(c, key).orElse(Long.MIN_VALUE));
    }

    @Override
    public String toString() {
        return "JdbcFencedStore[" + table + "]";
    }
}
