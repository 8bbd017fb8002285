"""What the sign-off page says about the returns a performance officer has selected."""

from __future__ import annotations

import pandas as pd
import pytest

from performance.returns import describe_selection

PENDING = pd.DataFrame({"id": [1, 2], "code": ["NI 117", "NI 120"], "part": ["", "male"],
                        "period": ["2009/10 Q3", "2009/10"],
                        "submitted_by": ["a@luton.gov.uk", "b@luton.gov.uk"]})


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ([], "0 selected."),
        ([2], "1 selected: NI 120 male 2009/10 from b@luton.gov.uk"),
        ([1, 2], "2 selected: NI 117 2009/10 Q3 from a@luton.gov.uk; "
                 "NI 120 male 2009/10 from b@luton.gov.uk"),
    ],
)
def test_describe_selection_names_each_chosen_return(chosen, expected):
    assert describe_selection(PENDING, chosen) == expected
