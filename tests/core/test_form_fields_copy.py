"""Each form gets its own fields, though they are copied more cheaply than Django's
deep copy: what one form changes never reaches another."""

from django import forms

from ier.core.forms import GovukForm


class Example(GovukForm):
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")])
    sizes = forms.MultipleChoiceField(choices=[("s", "Small"), ("l", "Large")])
    name = forms.CharField(max_length=10)


def test_changes_to_one_forms_fields_do_not_reach_another():
    first = Example()
    first.fields["colour"].choices = [("green", "Green")]
    first.fields["colour"].error_messages["required"] = "Pick one"
    first.fields["name"].widget.attrs["class"] = "changed"
    first.fields["name"].validators.append(lambda value: None)
    first.fields["sizes"].widget.attrs["data-x"] = "1"

    second = Example()
    assert list(second.fields["colour"].choices) == [("red", "Red"), ("blue", "Blue")]
    assert second.fields["colour"].error_messages["required"] != "Pick one"
    assert "class" not in second.fields["name"].widget.attrs
    assert len(second.fields["name"].validators) == len(
        Example.base_fields["name"].validators
    )
    assert "data-x" not in second.fields["sizes"].widget.attrs
    assert second.fields["colour"] is not Example.base_fields["colour"]
    assert second.fields["colour"].widget is not Example.base_fields["colour"].widget


def test_copied_choice_fields_still_validate_and_render():
    form = Example(data={"colour": "blue", "sizes": ["s", "l"], "name": "Ada"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["colour"] == "blue"
    bad = Example(data={"colour": "green", "sizes": ["s"], "name": "Ada"})
    assert not bad.is_valid()
    assert 'value="red"' in str(form["colour"])
