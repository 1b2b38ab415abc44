package dev.ward.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code ward inject --register}: the result registered with ECS (credentials from the SDK's usual chain), then,
 * with {@code --update-service}, the service moved to the new revision.
 */
record Registration(String region, java.net.URI endpoint, String updateService, String cluster) {
    /** RegisterTaskDefinition with the result (parsed by the SDK's own model), then UpdateService if asked. */
    int register(ObjectNode td) {
        software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest request;
        try {
            request = InjectCommand.JSON.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true).treeToValue(td,
                    software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest.serializableBuilderClass()).build();
        } catch (JsonProcessingException e) {
            System.err.println("ward inject: the result does not fit ECS's RegisterTaskDefinition: " + e.getOriginalMessage());
            return 1;
        }
        var builder = software.amazon.awssdk.services.ecs.EcsClient.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create());
        if (region != null) {
            builder.region(software.amazon.awssdk.regions.Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        try (var ecs = builder.build()) {
            String arn = ecs.registerTaskDefinition(request).taskDefinition().taskDefinitionArn();
            System.err.println("ward inject: registered " + arn);
            if (updateService != null) {
                ecs.updateService(u -> u.cluster(cluster).service(updateService).taskDefinition(arn));
                System.err.println("ward inject: service " + updateService + " updated to " + arn);
            }
            return 0;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            System.err.println("ward inject: ECS refused or could not be reached: " + e.getMessage());
            return 1;
        }
    }
}
