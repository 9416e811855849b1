package io.lambdaform.cli;

/** The process exit codes, documented in docs/cli.md. */
public final class ExitCodes {
    /** Success; for plan --detailed-exitcode, success with no changes. */
    public static final int OK = 0;
    /** Any error: invalid manifests, a refused or failed change, a conflict, a failed payload, bad usage. */
    public static final int ERROR = 1;
    /** plan --detailed-exitcode: success, and there are changes to apply. */
    public static final int CHANGES = 2;

    private ExitCodes() {}
}
