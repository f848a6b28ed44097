# What the runtime modules need from the compiled `validators.py` of the generated package.
class ValidationError(ValueError):
    @property
    def message(self) -> str: ...
