-- The identity stand-in's own database, made once when the PostgreSQL volume is new.
CREATE DATABASE ier_identity OWNER ier;
