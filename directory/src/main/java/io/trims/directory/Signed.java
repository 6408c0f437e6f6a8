package io.trims.directory;

/**
 * What a directory map holds: a record and its signature ({@link RecordSigner}). A reader believes the record
 * only once the signature checks; {@code record} is null when what was stored could not be read as a record.
 */
record Signed(Object record, byte[] signature) {
}
