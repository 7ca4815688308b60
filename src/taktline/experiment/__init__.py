"""What-if experiments: factors over a scenario, a design, replications, executors."""
