"""The links from an assessment's recommendations to the client's service plan: a recommendation becomes a
plan action. They live with assessments, which may import plans (plans imports no assessment code)."""
