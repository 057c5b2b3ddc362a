"""Backend Roadmap checks: grade a learner's repository stage by stage, as a black box."""
