"""Ages and nationalities, from the rule tables and their legal sources."""

from datetime import date

import pytest

from ier.citizen import eligibility as rules


@pytest.mark.parametrize(
    ("on", "end"),
    [
        (date(2026, 11, 25), date(2027, 11, 30)),
        (date(2026, 12, 1), date(2028, 11, 30)),
        (date(2027, 1, 10), date(2028, 11, 30)),
    ],
)
def test_the_attainer_window_ends_12_months_after_the_next_1_december(on, end):
    assert rules.attainer_window_end(on) == end


@pytest.mark.parametrize(
    ("nation", "born", "registrable"),
    [
        ("England", date(2010, 11, 30), True),  # 18 on 30 Nov 2028: inside the window
        ("England", date(2010, 12, 1), False),
        ("Scotland", date(2012, 11, 30), True),  # 16 on 30 Nov 2028
        ("Scotland", date(2012, 12, 1), False),
        ("Wales", date(2012, 11, 30), True),
        ("Wales", date(2013, 6, 1), False),
    ],
)
def test_youngest_registrable_age_per_nation(nation, born, registrable):
    assert rules.may_register_by_age(born, nation, date(2026, 12, 1)) is registrable


def test_someone_too_young_is_told_the_first_date_they_can_register():
    born = date(2012, 3, 10)  # 18 on 10 March 2030
    earliest = rules.earliest_registration_date(born, "England", date(2026, 11, 25))
    assert earliest == date(2028, 12, 1)
    assert rules.may_register_by_age(born, "England", earliest)
    assert not rules.may_register_by_age(born, "England", date(2028, 11, 30))


def test_minimum_ages_for_wording():
    today = date(2026, 11, 25)
    assert rules.minimum_registration_age("England", today) == 16
    assert rules.minimum_registration_age("Scotland", today) == 14
    assert rules.minimum_registration_age("Wales", today) == 14


def test_under_16s_in_scotland_and_wales_skip_the_open_register_and_nino():
    today = date(2026, 11, 25)
    assert rules.questions_skipped_for_age("Scotland", date(2011, 6, 1), today) == {
        "open-register",
        "nino",
    }
    assert rules.questions_skipped_for_age("Wales", date(2011, 6, 1), today) == {
        "open-register",
        "nino",
    }
    assert rules.questions_skipped_for_age("England", date(2010, 6, 1), today) == set()
    assert rules.questions_skipped_for_age("Scotland", date(2000, 6, 1), today) == set()


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("GB", "british"),
        ("IE", "irish"),
        ("IN", "commonwealth"),
        ("MT", "commonwealth"),
        ("CY", "commonwealth"),
        ("PL", "eu_treaty"),
        ("ES", "eu_treaty"),
        ("FR", "eu"),
        ("US", "other"),
        ("GI", "commonwealth"),
    ],
)
def test_nationality_classes(code, cls):
    assert rules.nationality_class(code, date(2026, 11, 25)) == cls


def test_treaty_countries_count_only_from_the_treaty_date():
    assert rules.nationality_class("PL", date(2024, 1, 1)) == "eu"


@pytest.mark.parametrize(
    ("nation", "classes", "met", "registers"),
    [
        ("England", {"british"}, set(), {"UK Parliament", "local government"}),
        ("England", {"commonwealth"}, {"leave"}, {"UK Parliament", "local government"}),
        ("England", {"commonwealth"}, set(), set()),
        ("England", {"eu"}, {"retained_rights"}, {"local government"}),
        ("England", {"eu"}, set(), set()),
        ("England", {"other"}, {"leave"}, set()),
        ("Scotland", {"other"}, {"leave"}, {"local government"}),
        ("Wales", {"eu"}, set(), {"local government"}),
    ],
)
def test_registers_open_by_nation_nationality_and_conditions(
    nation, classes, met, registers
):
    assert rules.registers_open(nation, classes, met, date(2026, 11, 25)) == registers


def test_only_questions_that_can_change_the_outcome_are_asked():
    today = date(2026, 11, 25)
    assert rules.conditions_to_ask("England", {"british", "us"}, today) == set()
    assert rules.conditions_to_ask("England", {"eu", "commonwealth"}, today) == {
        "leave",
        "retained_rights",
    }
    assert (
        rules.conditions_to_ask("England", {"eu", "commonwealth"}, today, {"leave"})
        == set()
    )


CLASS_SETS = [
    set(),
    {"british"},
    {"irish", "eu"},
    {"commonwealth"},
    {"eu_treaty", "other"},
    {"eu", "other"},
    {"other"},
]
DAYS = [date(2020, 12, 31), date(2021, 1, 1), date(2024, 5, 6), date(2026, 12, 7)]


@pytest.mark.parametrize("nation", ["England", "Scotland", "Wales", "Overseas"])
def test_the_rules_remembered_are_the_rows_in_force_that_day(nation):
    """Rules asked for again are the rows of the tables in force on that day, as
    read afresh, and each caller gets its own list."""
    for on in DAYS:
        assert rules.age_rules(nation, on) == [
            rules.AgeRule(
                r["nation"],
                r["register"],
                int(r["voting_age"]),
                r["legal_basis"],
                r["source_url"],
            )
            for r in rules._age_rows()
            if r["nation"] == nation and rules._in_force(r, on)
        ]
        for classes in CLASS_SETS:
            expected = [
                rules.Franchise(
                    r["nationality_class"],
                    r["uk_parliament"] == "yes",
                    r["local_government"] == "yes",
                    r["condition"],
                    r["legal_basis"],
                )
                for r in rules._franchise_rows()
                if r["nation"] == nation
                and r["nationality_class"] in classes
                and rules._in_force(r, on)
            ]
            for _again in range(2):
                found = rules.franchises(nation, set(classes), on)
                assert found == expected
                found.clear()  # a caller's own list: the next one is whole
    assert rules.franchises("England", {"british"}, DAYS[-1])


def conditions_worked_out(nation, classes, on, met) -> set[str]:
    """Which follow-up questions could still open a register, from the rules."""
    if rules.unconditional(nation, classes, on):
        return set()
    conditions = {f.condition for f in rules.franchises(nation, classes, on)}
    best = rules.registers_open(nation, classes, conditions, on)
    if rules.registers_open(nation, classes, met, on) == best:
        return set()
    return conditions - met


@pytest.mark.parametrize("nation", ["England", "Scotland", "Wales"])
def test_the_questions_remembered_are_those_the_rules_give(nation):
    for on in DAYS:
        for classes in CLASS_SETS:
            for met in (set(), {"leave"}, {"retained_rights"}, {"leave", "x"}):
                expected = conditions_worked_out(nation, classes, on, met)
                for _again in range(2):
                    found = rules.conditions_to_ask(nation, set(classes), on, met)
                    assert found == expected
                    found.add("changed by a caller")
        assert rules.conditions_to_ask(nation, {"eu"}, on, None) == (
            conditions_worked_out(nation, {"eu"}, on, set())
        )
