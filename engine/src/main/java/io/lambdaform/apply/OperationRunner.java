package io.lambdaform.apply;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.NewFunction;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.ResourceType;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.plan.Operation;
import io.lambdaform.plan.Planner;

/** Carries out one operation against the target. */
public final class OperationRunner implements Operation.Visitor<Void> {
    private final CloudProvider cloud;
    private final CodePackager packager;

    @Inject
    public OperationRunner(CloudProvider cloud, CodePackager packager) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.packager = requireNonNull(packager, "packager is null");
    }

    @Override
    public Void visit(Operation.CreateRole op) {
        cloud.createRole(op.role());
        return null;
    }

    @Override
    public Void visit(Operation.UpdateRole op) {
        cloud.updateRole(op.name(), op.description(), op.maxSessionDuration());
        return null;
    }

    @Override
    public Void visit(Operation.UpdateAssumeRolePolicy op) {
        cloud.updateAssumeRolePolicy(op.name(), op.document());
        return null;
    }

    @Override
    public Void visit(Operation.PutPermissionsBoundary op) {
        cloud.putPermissionsBoundary(op.name(), op.policyArn());
        return null;
    }

    @Override
    public Void visit(Operation.DeletePermissionsBoundary op) {
        cloud.deletePermissionsBoundary(op.name());
        return null;
    }

    @Override
    public Void visit(Operation.AttachRolePolicy op) {
        cloud.attachRolePolicy(op.roleName(), op.policyArn());
        return null;
    }

    @Override
    public Void visit(Operation.DetachRolePolicy op) {
        cloud.detachRolePolicy(op.roleName(), op.policyArn());
        return null;
    }

    @Override
    public Void visit(Operation.PutRolePolicy op) {
        cloud.putRolePolicy(op.roleName(), op.policyName(), op.document());
        return null;
    }

    @Override
    public Void visit(Operation.DeleteRolePolicy op) {
        cloud.deleteRolePolicy(op.roleName(), op.policyName());
        return null;
    }

    @Override
    public Void visit(Operation.TagResource op) {
        if (op.key().type() == ResourceType.ROLE) {
            cloud.tagRole(op.key().name(), op.tags());
        } else {
            cloud.tagFunction(op.key().name(), op.tags());
        }
        return null;
    }

    @Override
    public Void visit(Operation.UntagResource op) {
        if (op.key().type() == ResourceType.ROLE) {
            cloud.untagRole(op.key().name(), op.tagKeys());
        } else {
            cloud.untagFunction(op.key().name(), op.tagKeys());
        }
        return null;
    }

    @Override
    public Void visit(Operation.DeleteRole op) {
        cloud.deleteRole(op.name());
        return null;
    }

    @Override
    public Void visit(Operation.CreateFunction op) {
        DeploymentPackage code = packageAsPlanned(op.name(), op.code(), op.codeSha256());
        cloud.createFunction(new NewFunction(op.name(), op.roleArn(), op.settings(), code, op.tags()));
        return null;
    }

    @Override
    public Void visit(Operation.UpdateFunctionCode op) {
        DeploymentPackage code = packageAsPlanned(op.name(), op.code(), op.codeSha256());
        cloud.updateFunctionCode(op.name(), code, op.architectures());
        cloud.tagFunction(op.name(), Planner.codeTags(code));
        return null;
    }

    @Override
    public Void visit(Operation.UpdateFunctionConfiguration op) {
        cloud.updateFunctionConfiguration(op.name(), op.roleArn(), op.settings());
        return null;
    }

    @Override
    public Void visit(Operation.DeleteFunction op) {
        cloud.deleteFunction(op.name());
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
