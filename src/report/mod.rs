//! Reporters over the run's records: console, JUnit XML, JSON evidence, HTML matrix.
