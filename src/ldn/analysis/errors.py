"""Domain errors of the analysis area; each message names the parameter, the rule and the value."""


class AnalysisInputError(ValueError):
    """The data or options given to an analysis break a rule (malformed, too short, no baseline...)."""
