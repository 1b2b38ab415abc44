package dev.ward.check.model;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.check.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CloudFormation in YAML (with short-form tags) and JSON reads into the same model; rules see PascalCase paths. */
class CloudFormationTest {
    private static final String YAML = """
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              DbPassword:
                Type: String
                NoEcho: true
            Resources:
              Role:
                Type: AWS::IAM::Role
              Task:
                Type: AWS::ECS::TaskDefinition
                Properties:
                  NetworkMode: awsvpc
                  RequiresCompatibilities: [FARGATE]
                  ExecutionRoleArn: !GetAtt Role.Arn
                  TaskRoleArn: !GetAtt Role.Arn
                  Volumes:
                    - Name: data
                      EFSVolumeConfiguration:
                        FilesystemId: !Ref Fs
                  ContainerDefinitions:
                    - Name: app
                      Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:latest"
                      User: !Ref AppUser
                      ReadonlyRootFilesystem: "false"
                      Privileged: true
                      Environment:
                        - Name: DB_PASSWORD
                          Value: !Ref DbPassword
                        - Name: DB_URL
                          Value: !Sub "postgres://app:${DbPassword}@db:5432/app"
                      LinuxParameters:
                        Capabilities:
                          Add: [NET_ADMIN]
              Service:
                Type: AWS::ECS::Service
                Properties:
                  PlatformVersion: 1.3.0
                  EnableExecuteCommand: true
                  NetworkConfiguration:
                    AwsvpcConfiguration:
                      AssignPublicIp: ENABLED
                      Subnets: [subnet-1]
            """;

    private final List<Finding> findings = check("stack.yaml", YAML);

    private Finding one(String rule) {
        List<Finding> f = only(rule, findings);
        assertThat(f).as(rule).hasSize(1);
        return f.getFirst();
    }

    @Test
    void taskDefinitionFindingsPointIntoTheTemplate() {
        Finding priv = one("WARD-ECS-005");
        assertThat(priv.loc().path()).isEqualTo("$.Resources.Task.Properties.ContainerDefinitions[0].Privileged");
        assertThat(priv.loc().pos().line()).isEqualTo(25);
        assertThat(priv.resource()).isEqualTo("Task");
        assertThat(one("WARD-ECS-006").loc().path()).endsWith("ContainerDefinitions[0].ReadonlyRootFilesystem");
        assertThat(one("WARD-ECS-007").loc().pos().line()).isEqualTo(33);
        assertThat(one("WARD-ECS-012").loc().path()).endsWith("ContainerDefinitions[0].LogConfiguration");
        assertThat(one("WARD-ECS-020").loc().path())
                .isEqualTo("$.Resources.Task.Properties.Volumes[0].EFSVolumeConfiguration.TransitEncryption");
    }

    @Test
    void intrinsicsAreJudgedOnlyWhereTheyReveal() {
        // !Ref DbPassword still lands in clear text: flagged by name
        assertThat(one("WARD-ECS-001").message()).contains("!Ref DbPassword");
        // a password interpolated into a URL by !Sub is a credential by value
        assertThat(one("WARD-ECS-002").loc().pos().line()).isEqualTo(30);
        // !Ref AppUser might be anything: no user finding
        assertThat(only("WARD-ECS-003", findings)).isEmpty();
        assertThat(only("WARD-ECS-004", findings)).isEmpty();
        // the image is a !Sub: not judged
        assertThat(only("WARD-ECS-014", findings)).isEmpty();
        assertThat(only("WARD-ECS-016", findings)).isEmpty();
        // the same !GetAtt for both roles is the same role
        assertThat(one("WARD-ECS-017").loc().path()).isEqualTo("$.Resources.Task.Properties.TaskRoleArn");
    }

    @Test
    void serviceFindings() {
        assertThat(one("WARD-ECS-021").loc().path())
                .isEqualTo("$.Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp");
        assertThat(one("WARD-ECS-022").resource()).isEqualTo("Service");
        assertThat(one("WARD-ECS-023").loc().pos().line()).isEqualTo(37);
    }

    @Test
    void jsonTemplatesWithFnObjectsToo() {
        String json = """
                {"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
                  "ContainerDefinitions": [{"Name": "a", "Image": {"Fn::Sub": "x/${Tag}"}, "User": "0",
                    "Environment": [{"Name": "API_TOKEN", "Value": {"Ref": "Tok"}}]}]}}}}
                """;
        List<Finding> f = check("stack.json", json);
        assertThat(only("WARD-ECS-003", f)).singleElement()
                .satisfies(x -> assertThat(x.loc().path()).isEqualTo("$.Resources.T.Properties.ContainerDefinitions[0].User"));
        assertThat(only("WARD-ECS-001", f)).hasSize(1);
        assertThat(only("WARD-ECS-014", f)).isEmpty();
    }
}
