package io.lambdaform.cli;

import io.lambdaform.LambdaformException;
import java.io.IOException;

/** Asks before changing a target; refuses without --auto-approve when no person can answer. */
final class Confirmation {
    private Confirmation() {}

    static boolean confirm(Console console, boolean autoApprove, String question) {
        if (autoApprove) {
            return true;
        }
        if (!console.interactive()) {
            throw LambdaformException.user("refusing to change the target without confirmation: input is not a"
                    + " terminal. Review the plan and pass --auto-approve");
        }
        console.out().print(question + " Only 'yes' will be accepted: ");
        console.out().flush();
        try {
            String answer = console.in().readLine();
            return answer != null && answer.strip().equals("yes");
        } catch (IOException e) {
            return false;
        }
    }
}
