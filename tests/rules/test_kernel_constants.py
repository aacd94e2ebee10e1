"""The codes the compiled kernels repeat as compile-time constants are the codes of the model."""

import pytest

from countysim.population import codes as c
from countysim.rules import homes_kernels, labour_kernels, training_kernels
from countysim.rules import labour as labour_rules


@pytest.mark.parametrize(
    "module", [homes_kernels, labour_kernels, training_kernels], ids=lambda m: m.__name__
)
def test_repeated_codes_equal_the_model_codes(module):
    repeated = {
        name: value
        for name, value in vars(module).items()
        if name.startswith("_") and name[1:].isupper() and isinstance(value, int)
    }
    assert repeated  # the module repeats some codes
    for name, value in repeated.items():
        source = labour_rules if name.startswith("_M_") else c
        assert getattr(source, name[1:]) == value, f"{module.__name__}.{name}"
