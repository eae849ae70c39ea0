from faultmaven.knowledge.ranking import reciprocal_rank_fusion


def test_item_first_in_every_list_scores_one_and_leads() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["a", "c", "d"]])
    assert fused[0] == ("a", 1.0)


def test_agreement_beats_a_single_top_rank() -> None:
    fused = dict(reciprocal_rank_fusion([["x", "shared"], ["y", "shared"]]))
    assert fused["shared"] > fused["x"]
    assert fused["shared"] > fused["y"]


def test_items_found_by_one_list_only_are_kept() -> None:
    fused = [key for key, _ in reciprocal_rank_fusion([["a"], ["b", "c"]])]
    assert sorted(fused) == ["a", "b", "c"]


def test_weights_favour_one_list() -> None:
    fused = reciprocal_rank_fusion([["words"], ["vectors"]], weights=[1.0, 2.0])
    assert fused[0][0] == "vectors"


def test_no_rankings_give_nothing() -> None:
    assert reciprocal_rank_fusion([]) == []
