package io.lambdaform.kinds.trigger;

import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.role.RolePermissions;
import io.lambdaform.kinds.trigger.Trigger.Type;
import io.lambdaform.resource.PlanBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the execution role declared in the manifests may read the source Lambda polls for a function: the most
 * common failure of a first deploy of a mapping (CreateEventSourceMapping refuses, naming the missing action). Only
 * what the manifests prove is judged: a role by ARN, or one with a managed policy other than AWS's known ones, is
 * given the benefit of the doubt.
 */
final class RoleReads {

    /** The actions Lambda needs on each polled source, as AWS's managed execution policies grant them. */
    static final Map<Type, List<String>> NEEDED = Map.of(
            Type.SQS, List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
            Type.KINESIS,
                    List.of(
                            "kinesis:GetRecords",
                            "kinesis:GetShardIterator",
                            "kinesis:DescribeStream",
                            "kinesis:ListShards"),
            Type.DYNAMODB,
                    List.of(
                            "dynamodb:GetRecords",
                            "dynamodb:GetShardIterator",
                            "dynamodb:DescribeStream",
                            "dynamodb:ListStreams"));

    /** AWS managed policies that grant the reads, by source. */
    private static final Map<Type, String> MANAGED = Map.of(
            Type.SQS, "AWSLambdaSQSQueueExecutionRole",
            Type.KINESIS, "AWSLambdaKinesisExecutionRole",
            Type.DYNAMODB, "AWSLambdaDynamoDBExecutionRole");

    private RoleReads() {}

    /** A warning naming the actions the role lacks, when the manifests prove it lacks some. */
    static Optional<String> check(Trigger trigger, PlanBuilder plan) {
        Optional<Function> function = plan.declared(FunctionKind.KIND, trigger.function());
        if (function.isEmpty() || !(function.get().role() instanceof RoleRef.StackRole stackRole)) {
            return Optional.empty();
        }
        List<String> missing = RolePermissions.missing(
                plan, stackRole.name(), NEEDED.get(trigger.type()), Set.of(MANAGED.get(trigger.type())));
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("role " + stackRole.name() + " of function " + trigger.function() + " does not allow "
                + String.join(", ", missing) + ", which Lambda needs to read "
                + trigger.type().sourceNoun() + " "
                + trigger.source() + ": CreateEventSourceMapping will be refused. Attach"
                + " arn:aws:iam::aws:policy/service-role/" + MANAGED.get(trigger.type())
                + " or allow them in an inline policy");
    }
}
