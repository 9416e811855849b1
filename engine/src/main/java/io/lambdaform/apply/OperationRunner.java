package io.lambdaform.apply;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.Functions;
import io.lambdaform.cloud.NewFunction;
import io.lambdaform.cloud.Roles;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.plan.Operation;
import io.lambdaform.plan.Planner;

/** Carries out one operation against the target. */
public final class OperationRunner implements Operation.Visitor<Void> {
    private final Roles roles;
    private final Functions functions;
    private final CodePackager packager;

    @Inject
    public OperationRunner(Roles roles, Functions functions, CodePackager packager) {
        this.roles = requireNonNull(roles, "roles is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.packager = requireNonNull(packager, "packager is null");
    }

    @Override
    public Void visit(Operation.CreateRole op) {
        roles.createRole(op.role());
        return null;
    }

    @Override
    public Void visit(Operation.UpdateRole op) {
        roles.updateRole(op.name(), op.description(), op.maxSessionDuration());
        return null;
    }

    @Override
    public Void visit(Operation.UpdateAssumeRolePolicy op) {
        roles.updateAssumeRolePolicy(op.name(), op.document());
        return null;
    }

    @Override
    public Void visit(Operation.PutPermissionsBoundary op) {
        roles.putPermissionsBoundary(op.name(), op.policyArn());
        return null;
    }

    @Override
    public Void visit(Operation.DeletePermissionsBoundary op) {
        roles.deletePermissionsBoundary(op.name());
        return null;
    }

    @Override
    public Void visit(Operation.AttachRolePolicy op) {
        roles.attachRolePolicy(op.roleName(), op.policyArn());
        return null;
    }

    @Override
    public Void visit(Operation.DetachRolePolicy op) {
        roles.detachRolePolicy(op.roleName(), op.policyArn());
        return null;
    }

    @Override
    public Void visit(Operation.PutRolePolicy op) {
        roles.putRolePolicy(op.roleName(), op.policyName(), op.document());
        return null;
    }

    @Override
    public Void visit(Operation.DeleteRolePolicy op) {
        roles.deleteRolePolicy(op.roleName(), op.policyName());
        return null;
    }

    @Override
    public Void visit(Operation.TagResource op) {
        Runnable tag = switch (op.key().type()) {
            case ROLE -> () -> roles.tagRole(op.key().name(), op.tags());
            case FUNCTION -> () -> functions.tagFunction(op.key().name(), op.tags());
        };
        tag.run();
        return null;
    }

    @Override
    public Void visit(Operation.UntagResource op) {
        Runnable untag = switch (op.key().type()) {
            case ROLE -> () -> roles.untagRole(op.key().name(), op.tagKeys());
            case FUNCTION -> () -> functions.untagFunction(op.key().name(), op.tagKeys());
        };
        untag.run();
        return null;
    }

    @Override
    public Void visit(Operation.DeleteRole op) {
        roles.deleteRole(op.name());
        return null;
    }

    @Override
    public Void visit(Operation.CreateFunction op) {
        DeploymentPackage code = packageAsPlanned(op.name(), op.code(), op.codeSha256());
        functions.createFunction(new NewFunction(op.name(), op.roleArn(), op.settings(), code, op.tags()));
        return null;
    }

    @Override
    public Void visit(Operation.UpdateFunctionCode op) {
        DeploymentPackage code = packageAsPlanned(op.name(), op.code(), op.codeSha256());
        functions.updateFunctionCode(op.name(), code, op.architectures());
        functions.tagFunction(op.name(), Planner.codeTags(code));
        return null;
    }

    @Override
    public Void visit(Operation.UpdateFunctionConfiguration op) {
        functions.updateFunctionConfiguration(op.name(), op.roleArn(), op.settings());
        return null;
    }

    @Override
    public Void visit(Operation.DeleteFunction op) {
        functions.deleteFunction(op.name());
        return null;
    }

    /** The package, provided it is still the one the plan was made from. */
    private DeploymentPackage packageAsPlanned(String function, CodeSource source, String plannedSha256) {
        DeploymentPackage code = packager.pack(source);
        if (!code.codeSha256().equals(plannedSha256)) {
            throw LambdaformException.user("the code of function " + function + " changed since the plan was made"
                    + " (planned CodeSha256 " + plannedSha256 + ", now " + code.codeSha256() + "); plan again");
        }
        return code;
    }
}
