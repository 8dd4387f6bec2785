package io.odoogitops.dryrun.lint;

/** How bad a finding is before policy weighs in; policy may still forbid a rule outright. */
public enum Severity { INFO, WARNING, ERROR }
