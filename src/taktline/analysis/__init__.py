"""Statistics shared by the engines: confidence intervals, warm-up detection."""

from taktline.analysis.stats import mean_ci, mser5, summarize

__all__ = ["mean_ci", "mser5", "summarize"]
