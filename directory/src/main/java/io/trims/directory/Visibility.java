package io.trims.directory;

/** Who may see and call a model version: every tenant (PUBLIC) or only the tenant that owns it (PRIVATE). */
public enum Visibility {
    PUBLIC,
    PRIVATE
}
