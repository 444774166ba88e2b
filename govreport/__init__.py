"""govreport: read Chinese government information-disclosure annual reports
(政府信息公开工作年度报告) into tidy, validated pandas DataFrames.

>>> import govreport
>>> r = govreport.read_report("data/raw/004_1de402db7ad7867c.txt")
>>> r.applications.query("row == 'granted' and applicant == 'total'")["value"].item()
13.0
"""
from __future__ import annotations

from .errors import ParseError
from .layouts import data_dictionary
from .report import TABLE_NAMES, Report, read_report

__version__ = "0.1.0"

__all__ = ["ParseError", "Report", "TABLE_NAMES", "data_dictionary", "read_report", "__version__"]
