package io.lambdaform.cli;

import picocli.CommandLine.Option;

/** Where stack locks are kept on AWS: an option of the commands that take the lock (apply, destroy, force-unlock). */
public final class LockOptions {
    @Option(
            names = "--lock-table",
            paramLabel = "TABLE",
            defaultValue = "${env:LAMBDAFORM_LOCK_TABLE}",
            description = "AWS: the DynamoDB table (partition key LockID, a string) that holds stack locks across CI"
                    + " runners. Default: $LAMBDAFORM_LOCK_TABLE.")
    String table;

    /** The target options with this lock table. */
    TargetOptions applyTo(TargetOptions target) {
        target.lockTable = table;
        return target;
    }
}
