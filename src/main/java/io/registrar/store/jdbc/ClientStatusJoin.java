package io.registrar.store.jdbc;

import io.registrar.store.ClientStatus;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A token of a dynamic client is only as alive as its client (revoked or deleted: inactive), read in
 * the same query as the token: one join, and one reading of it, for access and refresh tokens alike.
 */
final class ClientStatusJoin {

    private ClientStatusJoin() {
    }

    /** The token whose hash is the one parameter, from {@code table} as {@code alias}, with its client's status. */
    static String selectByTokenHash(String table, String alias, String columns) {
        return "SELECT " + columns + ", c.status FROM " + table + " " + alias
                // A plain key join: with the dynamic_client test inside ON, H2 scans the clients table.
                + " LEFT JOIN dynamically_registered_clients c ON c.client_id = " + alias + ".client_id"
                + " WHERE " + alias + ".token_hash = ?";
    }

    /** Static clients are always active; a dynamic client only while it exists and is active. */
    static boolean clientActive(ResultSet rs) throws SQLException {
        return !rs.getBoolean("dynamic_client") || ClientStatus.ACTIVE.dbValue().equals(rs.getString("status"));
    }
}
