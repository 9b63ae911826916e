"""Background work: arq WorkerSettings, job functions, and the embedded in-process runner."""
