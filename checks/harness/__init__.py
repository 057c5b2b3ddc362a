"""The machinery every stage's checks share: manifest, workspace, processes, reports."""
