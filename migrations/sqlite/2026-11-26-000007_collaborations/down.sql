DROP INDEX collaboration_partners_collaboration_idx;
DROP INDEX collaborations_owner_idx;
DROP TABLE collaboration_partners;
DROP TABLE collaborations;
