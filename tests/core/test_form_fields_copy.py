"""Each form gets its own fields, though they are copied more cheaply than Django's
deep copy: what one form changes never reaches another."""

from django import forms
from django.http import QueryDict
from django.utils import translation

from ier.core.forms import GovukDateField, GovukForm, printable_data


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


class WithDate(GovukForm):
    born = GovukDateField(label_text="date of birth")
    pick = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


def test_copies_match_djangos_deep_copy_and_stay_apart():
    field = WithDate.base_fields["born"]
    form = WithDate()
    copied = form.fields["born"]
    django_copy = forms.Field.__deepcopy__(field, {})
    assert type(copied) is type(django_copy)
    assert copied.__dict__.keys() == django_copy.__dict__.keys()
    assert copied.label_text == field.label_text
    assert copied.widget is not field.widget
    # A date's three inputs belong to each form alone.
    assert all(
        mine is not theirs
        for mine, theirs in zip(
            copied.widget.widgets, field.widget.widgets, strict=True
        )
    )
    copied.widget.widgets[0].attrs["x"] = "1"
    assert "x" not in WithDate().fields["born"].widget.widgets[0].attrs
    # A radio's own list of choices is each form's own.
    form.fields["pick"].widget.choices.append(("b", "B"))
    assert WithDate().fields["pick"].widget.choices == [("a", "A")]


def test_invalid_choice_never_repeats_the_value_sent_in_either_language():
    for language in ("en", "cy"):
        with translation.override(language):
            form = WithDate(data={"pick": "<b>zzz</b>"})
            assert not form.is_valid()
            assert "zzz" not in str(form.errors["pick"])


def test_printable_data_drops_control_characters_and_keeps_the_rest():
    data = QueryDict(mutable=True)
    data.setlist("name", ["Ann\x07e", "Siân\tLl\u0085ŷr", "plain"])
    data["other"] = "a\ufdd0b\uffffc\r\n"
    cleaned = printable_data(data)
    assert cleaned.getlist("name") == ["Anne", "Siân\tLlŷr", "plain"]
    assert cleaned["other"] == "abc\r\n"
    assert cleaned is not data and cleaned._mutable
    assert data.getlist("name")[0] == "Ann\x07e"
