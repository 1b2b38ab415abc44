-- Ward relay store, version 4: which workload a chunk's events come from, so that `ward logs --namespace, --pod,
-- --task, --image` read only the chunks that can hold them. As for container_name, a column is '' when the chunk's
-- events differ in it (and in the chunks stored before this version): those chunks are always read, and their
-- events checked one by one. task_id is the last part of the ECS task ARN (its ecs.task-arn label).
ALTER TABLE ward_events ADD COLUMN namespace_name VARCHAR(253) NOT NULL DEFAULT '';
ALTER TABLE ward_events ADD COLUMN pod_name VARCHAR(253) NOT NULL DEFAULT '';
ALTER TABLE ward_events ADD COLUMN task_id VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE ward_events ADD COLUMN container_image VARCHAR(1024) NOT NULL DEFAULT '';
CREATE INDEX ward_events_namespace ON ward_events (namespace_name, ts_first);
CREATE INDEX ward_events_pod ON ward_events (pod_name, ts_first);
CREATE INDEX ward_events_task ON ward_events (task_id, ts_first);
CREATE INDEX ward_events_image ON ward_events (container_image, ts_first);
