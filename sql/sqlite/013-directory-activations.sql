-- Orleans routes calls to an activation, not only to a silo: the fenced grain directory keeps the owner's activation.
ALTER TABLE FailoverGrainDirectory ADD COLUMN ActivationId varchar(64) NULL;
