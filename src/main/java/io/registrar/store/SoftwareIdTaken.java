package io.registrar.store;

/**
 * A registration under a profile that allows one registration per software_id found that software_id
 * registered already (issue 20 §6): nothing was stored. The client's error, not the database's.
 */
public final class SoftwareIdTaken extends RuntimeException {
    public SoftwareIdTaken(String softwareId) {
        super("software_id '" + softwareId + "' is registered already", null, false, false);
    }
}
