"""A learned second pass: a linear sentence classifier that proposes events the rules miss.

The rule cascade of :mod:`eventstudy.extract.coding` is precise but misses much of the long
tail of phrasing ("Niinistö called his Russian counterpart, Putin, on Saturday"). This pass
looks at the sentences the rules left alone and asks a transparent linear model whether they
report an event, and of which PLOVER type.

Candidates
    Sentences (the extractor's own splitter) that hold at least one temporal expression of
    day or week precision (the extractor's resolver, :func:`~eventstudy.extract.timex.find_timexes`,
    within a year of publication), at least one gazetteer actor, are not page furniture (photo
    captions, also run into the next sentence, editorial notes, embedded tweets) nor a question,
    and are not already the evidence of a rule mention. A sentence with no day/week date of
    its own inherits the dates of the last dated sentence when it continues it
    (:func:`_inherits`: in that sentence's paragraph, it opens with "Later", "Earlier",
    "During", "At the", "Speaking", "He"/"She", or holds "also", "added", "he said"; anywhere
    after it, "that day"/"the same day"); an opening "He"/"She" (after "Later," etc.) is an
    actor: the first person named in the last sentence that named one (its subject, usually).
    A sentence under a dated heading (a timeline's "13 January" paragraph, see
    :func:`eventstudy.extract.coding.code_article`) inherits the heading's date.
Features
    Lower-cased word unigrams and bigrams of the sentence with its date expressions replaced by
    ``_date_``, actor names by ``_actor_``, other capitalised names by ``_name_`` and numbers by
    ``_num_``: the model learns phrasing, not names; an inherited date adds a leading
    ``_ctx_``. The bundled model (``features = "ngrams+lex"``) adds ``_lex_<type>`` for every
    PLOVER type a trigger of the rules' lexicon matches in the sentence, whatever the rules'
    context conditions (:func:`lexicon_features`). A feature seen in fewer than ``min_count``
    training sentences is dropped. ``"...+sentence"`` adds sentence features
    (:func:`sentence_features`: negation, modal and conditional cues, quotation, actor count,
    actor/date position, length, the words around each date); the bundled model does not use
    them (they did not raise the leave-one-set-out means). ``"...+nact"`` adds ``_f_nact1`` or
    ``_f_nact2``: whether the sentence names one actor or more (a sentence naming one state
    only is often domestic news: "Australian states announced 23 deaths on Monday").
Model
    Multinomial logistic regression with an L2 penalty (``l2`` times the squared weights, the
    intercepts unpenalised), fitted by L-BFGS (:func:`scipy.optimize.minimize`); the classes
    are ``"none"`` and the PLOVER types seen in training. Its weights are a data file
    (``data/events/sentence_model.toml``: header with classes, threshold, feature set, training
    provenance; ``data/events/sentence_model.csv``: one row per feature, one weight column per
    class), written by ``benchmarks/train_sentence_model.py`` from every gold annotation file
    (``tests/extract/annotations/*.csv``) and checked when loaded (:func:`load_model`).
Coding a proposal
    The most probable type when the probability of an event, ``1 - p(none)``, is at least the
    threshold (the model file's, or the caller's; the file's ``rule = "class"``, the bundled
    default, compares the type's own probability instead), and for a candidate with an inherited
    date at least the file's ``context_threshold`` too (optional field, default 0), and for a
    candidate that names a single actor at least the file's ``single_threshold`` (optional
    field, default 0: left out in turn, twelve Guardian sets, proposals naming one actor matched
    a gold event 63% of the time (57 of 91), those naming two or more 80-86%). The act is the
    word that weighs most for that type; the
    date the day expression (else week expression) nearest to it in its clause, across a
    "but"/"while"/"after"/"who" boundary only when its clause has none (:func:`choose_date`);
    the agent the actor named first before the act in its clause, a relative clause's
    antecedent, else the sentence's subject, as the rules choose it (:func:`choose_agent`);
    actors all the sentence's actors; mode, Goldstein score and direction those of the
    sentence's lexicon trigger of the type nearest the act (whatever its context conditions),
    else of the lexicon's ``[[category]]`` entry for the type (no mode: nothing in the
    sentence says which refinement it is; the CAMEO root code's Goldstein score), the
    direction cues and same-side rule read in the act's clause (:func:`_act_rule`; before
    2026-12-06 every proposal took its type's first rule, so every proposed consultation was a
    "call" and every support a "recognition"; means then 0.464 recall, 0.948 direction, after
    0.462 and 0.948: a proposed consultation with no call word now merges with a meeting of
    the same day and actors, as it should, once losing a separately annotated event); modality
    from the extractor's cues (a negated sentence proposes nothing); confidence = the
    probability; evidence = the sentence. Proposals are
    :class:`~eventstudy.extract.coding.Mention` records, merged with the rules' mentions by
    :func:`~eventstudy.extract.catalog.merge_mentions`.
Second types (since the fourth stop of 2026-12-07)
    A sentence often reports two acts of different types ("met ... on Tuesday and warned that
    ...", "the two agreed that efforts toward a ceasefire should continue") and the rules find
    one. With the model file's ``second_threshold`` above 0, the sentences the rules used are
    candidates too (``candidates(..., rule_sentences=True)``, marked ``ruled``), and the
    model's most probable type of one is proposed when its own probability is at least that
    threshold and no rule mention of the sentence has the type (:func:`second_types`; coded
    as any proposal). The threshold is chosen after the point's other settings, on the
    left-out means at that setting (``train_sentence_model.py --second``), with its own margin
    over the bars (``MARGINS`` of the script: the smallest whose nested figures clear them):
    0.7 since the tenth stop of 2026-12-07 (none in the ninth, 0.4 in the eighth, none in the
    seventh, 0.6 in the sixth, 0.4 before the fifth; none for ``strict`` and ``balanced``). Over
    the 75 sets of the tenth stop, at class 0.6, 0.9, 0, type-free, without -> with at 0.7:
    day-dated recall 0.713 -> 0.728, precision 0.972 -> 0.971, exact date 0.906 -> 0.901,
    category 0.834 -> 0.838, direction 0.906 -> 0.907 (at 0.4: 0.740, exact date 0.895, under
    its bar); on the held-out sets BF-BM, never trained on, the end model finds 0.726 of the
    day-dated units at exact date 0.856 (blind at the start of the stop, the ninth stop's model
    without second types: 0.732 at 0.859). Over the 67 sets of the
    ninth stop, at class 0.5, 0.9, 0.6, type-free, without -> with at 0.4: day-dated recall
    0.710 -> 0.735, precision 0.970 -> 0.967, exact date 0.904 -> 0.895, category 0.833 ->
    0.832, direction 0.904 -> 0.902; every threshold takes exact date under its bar with the
    margin (at 0.9: 0.716, exact date 0.902); on the held-out sets AX, AY, AZ and BA, never
    trained on, the end model with second types at 0.4 would find 0.743 of the day-dated units
    instead of 0.717, at exact date 0.873 instead of 0.898 (measured after the choice, not used
    for it). Over the 59 sets of the eighth stop, at
    class 0.5, 0, 0, type-free, without -> with at 0.4: day-dated recall 0.712 -> 0.737,
    precision 0.968 -> 0.964, exact date 0.909 -> 0.901, category 0.827 -> 0.823, direction
    0.905 -> 0.903 (at 0.6: 0.729, exact date 0.905); on the held-out sets AP, AQ, AR and AS,
    never trained on: 0.623 -> 0.660 day-dated recall, exact date 0.864 -> 0.850 (measured
    after the choice, not used for it). Dating a second type by its sentence's rule mention
    instead (when the rules gave the sentence one date), tried in the eighth stop with the
    seventh's model on AH-AO (then not trained on), at 0.6: 517 -> 516 day-dated units, exact
    date 0.896 -> 0.895; not kept. Over the 51 sets of the seventh stop, at class 0.4, 0,
    0.6, every threshold (0.4, 0.5, ..., 0.9) takes exact date under its bar, type-free,
    without -> with at 0.6: day-dated recall 0.730 -> 0.745, precision 0.962 -> 0.963, exact
    date 0.900 -> 0.896, category 0.817 -> 0.816, direction 0.901 -> 0.900 (at 0.9: 0.734,
    exact date 0.899); on the held-out sets AH, AI, AJ and AK, never trained on, the shipped
    model with second types at 0.6 would find 0.680 of the day-dated units instead of 0.657,
    at exact date 0.897 instead of 0.915 (measured after the choice, not used for it). Left-out
    means over the 43 sets of the sixth stop, at class 0.45, 0.5, 0, type-free, without ->
    with: day-dated recall 0.708 -> 0.722 (crisis sets 0.775 -> 0.795, Guardian 0.614 ->
    0.621), precision 0.963 -> 0.958, exact date 0.903 -> 0.900, category 0.823 -> 0.820,
    direction 0.903 -> 0.903 (``["nested_second"]``: 0.723, 0.962, 0.900, 0.822, 0.902; on the
    held-out sets Z, AA, AB and AC, never trained on: 0.723 -> 0.743 day-dated recall, exact
    date 0.874 -> 0.864, category 0.781 -> 0.782, direction 0.868 -> 0.863). Over the 39 sets
    of the fifth stop, at class 0.4, 0.9, 0, type-free, without -> with: day-dated recall
    0.691 -> 0.705 (crisis sets 0.771 -> 0.792, Guardian 0.598 -> 0.604), precision 0.964 ->
    0.960, exact date 0.903 -> 0.900, category 0.824 -> 0.821, direction 0.901 -> 0.901 (at
    0.4 day-dated recall 0.713 but exact date 0.897, under the bar; ``["nested_second"]``:
    0.706, 0.959, 0.898, 0.823, 0.901). Over the
    33 sets of the fourth stop, event 0.9, 0.95, 0, at 0.4: day-dated recall
    0.693 -> 0.715 (crisis sets 0.787 -> 0.821, Guardian 0.615 -> 0.626), precision 0.968 ->
    0.963, exact date 0.909 -> 0.905, category 0.821 -> 0.818, direction 0.901 -> 0.904
    (``["nested_second"]``: the threshold chosen without the set scored, the rest of the point
    fixed: 0.715, 0.963, 0.905, 0.818, 0.904); on the 29 sets and the model before it, at
    class 0.3, 0.9, 0.6: 0.684 -> 0.704, precision 0.966 -> 0.958, exact date 0.930 -> 0.922,
    category 0.818, direction 0.900 -> 0.903. On held-out crisis text never trained on, the
    model before it: sets N-Q 0.664 -> 0.694 day-dated
    recall, exact date 0.850 -> 0.845, category 0.840, direction 0.878 -> 0.876; the new sets
    R and U, scored blind: 0.722 -> 0.785, exact date 0.942 -> 0.920, category 0.830 ->
    0.803, direction 0.902 -> 0.885. A second type is dated by its own act's date expression
    (:func:`choose_date`), which in sentences told relative to another act ("came a day after
    X told reporters that ...") is more often a day off: of the units they found in sets A-M,
    46 were dated right and 26 not.

Measured (leave-one-set-out, ``python benchmarks/train_sentence_model.py --loso``)
    Each set left out in turn, the model trained on the other sets and the seeds, and scored
    with :func:`eventstudy.extract.evaluate.score`. Every setting is chosen on the means of
    left-out scores only (see "Operating points" below for the rules; l2 1.0, an earlier
    choice). The model trains on every dated sentence with an actor (those the rules used too),
    but not on those with an inherited date (training on them lowered the means: recall 0.597,
    precision 0.854 at the best admissible setting of the time). Since the fourth stop of
    2026-12-07 the sets are the eighteen Guardian annotation files (every article of the
    Guardian corpus) and the crisis-period sets (``tests/extract/crisis/``, wire-style
    articles of January-February 2022 written and annotated for the purpose): A-O since the
    fourth stop of 2026-12-07 (eleven before), A-U since the fifth (39 sets), A-Y since the
    sixth (43 sets), A-Z and AA-AG since the seventh (51 sets), A-Z and AA-AO since the eighth
    (59 sets), A-Z and AA-AW since the ninth (67 sets), A-Z, AA-AZ and BA-BE since the tenth
    (75 sets); the default is n-grams + lexicon types, rule "class", threshold 0.6, context
    threshold 0.9, no single-actor threshold, second types at 0.7.
    Each set left out in turn, rules-only > rules + model at the default, type-free scoring
    (as the issue states its targets: an event found with the wrong type counts as found, and
    against category accuracy):

    ============== =========== =========== =========== =========== =========== ===========
    left out       recall      precision   exact date  category    direction   day recall
    ============== =========== =========== =========== =========== =========== ===========
    Feb-Mar sample 0.928>0.955 0.986>0.988 0.944>0.957 0.893>0.887 0.922>0.915 0.918>0.948
    Apr-May sample 0.741>0.815 1.000>1.000 1.000>1.000 0.900>0.909 0.900>0.909 0.773>0.818
    blind-4        0.698>0.717 1.000>1.000 0.971>0.971 0.973>0.947 0.973>0.974 0.694>0.714
    blind-5        0.618>0.655 1.000>1.000 0.923>0.966 0.853>0.861 0.912>0.972 0.684>0.763
    blind-6        0.431>0.552 0.958>0.968 0.952>0.926 0.640>0.688 0.840>0.844 0.512>0.659
    blind-7        0.490>0.588 0.962>0.968 0.900>0.760 0.720>0.700 0.640>0.700 0.588>0.735
    blind-8        0.339>0.411 1.000>1.000 0.933>0.947 0.842>0.783 1.000>0.913 0.341>0.432
    blind-9        0.395>0.395 0.929>0.929 1.000>1.000 1.000>1.000 0.933>0.933 0.348>0.348
    blind-10       0.476>0.524 1.000>1.000 1.000>1.000 0.850>0.864 0.850>0.864 0.517>0.586
    blind-11       0.653>0.755 0.941>0.925 0.870>0.926 0.750>0.649 0.812>0.784 0.742>0.871
    blind-12       0.235>0.294 1.000>1.000 1.000>1.000 1.000>1.000 1.000>1.000 0.250>0.250
    blind-13       0.565>0.739 0.889>0.909 0.900>0.857 0.769>0.824 0.846>0.882 0.588>0.824
    blind-14       0.226>0.283 0.889>0.913 1.000>1.000 0.833>0.800 1.000>1.000 0.156>0.188
    blind-15       0.278>0.389 0.800>0.833 1.000>1.000 0.600>0.571 0.800>0.857 0.444>0.444
    blind-16       0.452>0.452 0.933>0.941 1.000>1.000 0.643>0.857 0.929>1.000 0.667>0.833
    blind-17       0.273>0.364 1.000>1.000 1.000>1.000 1.000>1.000 1.000>1.000 0.250>0.375
    blind-18       0.278>0.333 1.000>1.000 1.000>1.000 0.600>0.667 0.800>0.833 0.143>0.286
    blind-19       0.368>0.368 0.857>0.857 1.000>1.000 1.000>1.000 1.000>1.000 0.500>0.500
    crisis A       0.765>0.882 1.000>1.000 0.927>0.906 0.877>0.893 0.969>0.960 0.809>0.941
    crisis B       0.814>0.845 0.986>0.986 0.918>0.921 0.861>0.829 0.962>0.963 0.820>0.854
    crisis C       0.746>0.798 1.000>1.000 0.887>0.870 0.871>0.857 0.941>0.934 0.763>0.828
    crisis D       0.772>0.848 1.000>1.000 0.891>0.929 0.873>0.872 0.944>0.936 0.831>0.909
    crisis E       0.771>0.854 1.000>1.000 0.868>0.895 0.824>0.841 0.919>0.927 0.791>0.884
    crisis F       0.694>0.761 0.953>0.957 0.889>0.899 0.828>0.853 0.903>0.931 0.703>0.773
    crisis G       0.692>0.748 0.986>0.987 0.926>0.904 0.892>0.875 0.932>0.938 0.708>0.760
    crisis H       0.753>0.865 0.984>0.987 0.841>0.889 0.731>0.740 0.836>0.883 0.778>0.889
    crisis I       0.819>0.894 1.000>1.000 0.853>0.840 0.779>0.798 0.883>0.893 0.810>0.893
    crisis J       0.472>0.583 0.980>0.984 0.917>0.897 0.902>0.889 0.980>0.937 0.485>0.586
    crisis K       0.738>0.822 0.987>0.989 0.844>0.882 0.861>0.875 0.924>0.920 0.762>0.842
    crisis L       0.710>0.766 0.972>0.973 0.907>0.864 0.868>0.854 0.934>0.951 0.743>0.802
    crisis M       0.732>0.814 0.986>0.987 0.855>0.840 0.887>0.848 0.915>0.899 0.767>0.833
    crisis N       0.495>0.583 0.961>0.949 0.844>0.852 0.843>0.833 0.863>0.850 0.474>0.568
    crisis O       0.692>0.779 0.986>0.987 0.940>0.934 0.875>0.864 0.889>0.901 0.698>0.792
    crisis P       0.633>0.724 0.967>0.971 0.914>0.848 0.855>0.873 0.952>0.944 0.674>0.767
    crisis Q       0.735>0.806 0.986>0.988 0.873>0.885 0.833>0.873 0.931>0.937 0.747>0.821
    crisis R       0.688>0.806 0.955>0.937 0.949>0.929 0.875>0.867 0.953>0.960 0.711>0.843
    crisis S       0.571>0.648 0.980>0.965 0.809>0.778 0.788>0.831 0.808>0.831 0.566>0.651
    crisis T       0.667>0.722 0.941>0.945 0.822>0.837 0.833>0.846 0.875>0.885 0.672>0.731
    crisis U       0.646>0.769 0.900>0.912 0.949>0.957 0.786>0.860 0.881>0.920 0.639>0.770
    crisis V       0.583>0.646 1.000>0.983 0.962>0.966 0.857>0.871 0.929>0.935 0.602>0.670
    crisis W       0.653>0.750 0.959>0.967 0.810>0.816 0.745>0.796 0.872>0.852 0.689>0.803
    crisis X       0.694>0.765 0.969>0.973 0.885>0.868 0.824>0.813 0.853>0.853 0.701>0.782
    crisis Y       0.736>0.791 0.947>0.938 0.909>0.916 0.889>0.897 0.901>0.908 0.733>0.790
    crisis Z       0.689>0.797 0.962>0.967 0.851>0.830 0.765>0.763 0.863>0.864 0.701>0.791
    crisis AA      0.645>0.763 0.943>0.952 0.851>0.818 0.755>0.828 0.837>0.879 0.671>0.786
    crisis AB      0.632>0.684 0.965>0.968 0.864>0.859 0.833>0.815 0.900>0.908 0.648>0.703
    crisis AC      0.685>0.795 0.982>0.984 0.872>0.891 0.820>0.810 0.880>0.897 0.691>0.809
    crisis AD      0.667>0.778 0.946>0.955 0.894>0.909 0.870>0.873 0.907>0.905 0.662>0.775
    crisis AE      0.597>0.677 0.971>0.975 0.794>0.821 0.838>0.833 0.919>0.929 0.642>0.736
    crisis AF      0.742>0.818 1.000>1.000 0.872>0.865 0.816>0.833 0.878>0.907 0.746>0.825
    crisis AG      0.660>0.755 0.932>0.941 0.891>0.841 0.726>0.718 0.871>0.845 0.705>0.808
    crisis AH      0.602>0.639 1.000>1.000 0.826>0.857 0.860>0.868 0.860>0.849 0.605>0.645
    crisis AI      0.561>0.653 0.964>0.969 0.980>0.966 0.909>0.906 0.927>0.922 0.568>0.670
    crisis AJ      0.586>0.667 0.984>0.973 0.902>0.899 0.862>0.824 0.923>0.919 0.581>0.657
    crisis AK      0.681>0.791 1.000>1.000 0.898>0.899 0.823>0.819 0.919>0.917 0.678>0.793
    crisis AL      0.607>0.753 0.981>0.985 0.868>0.879 0.889>0.851 0.944>0.896 0.602>0.750
    crisis AM      0.510>0.657 0.980>0.985 0.930>0.877 0.750>0.701 0.904>0.866 0.544>0.722
    crisis AN      0.560>0.615 1.000>1.000 0.912>0.937 0.787>0.791 0.885>0.896 0.559>0.618
    crisis AO      0.694>0.739 1.000>0.987 0.925>0.931 0.883>0.890 0.961>0.951 0.677>0.727
    crisis AP      0.613>0.736 0.953>0.961 0.871>0.880 0.815>0.808 0.908>0.897 0.646>0.781
    crisis AQ      0.547>0.653 0.960>0.966 0.875>0.825 0.808>0.823 0.904>0.903 0.571>0.679
    crisis AR      0.589>0.678 1.000>0.984 0.902>0.879 0.811>0.836 0.849>0.869 0.600>0.682
    crisis AS      0.573>0.636 0.968>0.971 0.855>0.869 0.889>0.886 0.905>0.900 0.625>0.693
    crisis AT      0.745>0.796 0.958>0.961 0.912>0.904 0.795>0.795 0.877>0.885 0.756>0.811
    crisis AU      0.630>0.753 0.978>0.981 0.905>0.902 0.739>0.764 0.870>0.873 0.627>0.761
    crisis AV      0.588>0.682 0.980>0.983 0.886>0.843 0.860>0.879 0.940>0.931 0.603>0.699
    crisis AW      0.688>0.781 1.000>1.000 0.831>0.795 0.773>0.773 0.848>0.827 0.714>0.802
    crisis AX      0.716>0.810 0.951>0.956 0.974>0.944 0.867>0.872 0.904>0.915 0.736>0.840
    crisis AY      0.680>0.738 0.970>0.973 0.909>0.901 0.871>0.868 0.900>0.921 0.733>0.789
    crisis AZ      0.577>0.694 0.969>0.962 0.983>0.986 0.859>0.883 0.953>0.948 0.571>0.695
    crisis BA      0.739>0.848 0.971>0.975 0.820>0.789 0.794>0.808 0.882>0.936 0.753>0.877
    crisis BB      0.644>0.778 0.967>0.973 0.930>0.899 0.879>0.886 0.966>0.957 0.655>0.793
    crisis BC      0.800>0.850 0.986>0.986 0.933>0.938 0.900>0.906 0.938>0.941 0.824>0.879
    crisis BD      0.716>0.790 1.000>1.000 0.929>0.917 0.862>0.859 0.914>0.906 0.747>0.800
    crisis BE      0.739>0.826 0.986>0.987 0.810>0.815 0.779>0.803 0.868>0.868 0.763>0.855
    mean, Guardian 0.469>0.533 0.952>0.957 0.966>0.962 0.826>0.834 0.898>0.910 0.506>0.587
    mean, crisis   0.666>0.753 0.975>0.976 0.889>0.882 0.834>0.839 0.904>0.907 0.682>0.773
    mean, all 75   0.619>0.700 0.970>0.971 0.907>0.901 0.832>0.838 0.903>0.907 0.640>0.728
    ============== =========== =========== =========== =========== =========== ===========

    Training on the crisis sets too moved the Guardian means (the model of 2026-12-06, trained
    on the Guardian sets and the seeds only, class 0.4: recall 0.556, precision 0.949, exact
    date 0.933, category 0.816, direction 0.901, day recall 0.620; the model trained on both
    at that point's bars, before accusations and threats kept their escalation whatever they
    mention: class 0.45, single-actor 0.6, 0.546, 0.953, 0.927, 0.814, 0.892, 0.604; the model
    of the first stop of 2026-12-07, class 0.35, context 0.5: 0.582, 0.943, 0.931, 0.791,
    0.891, 0.631; of the second, class 0.3, context 0.5, single-actor 0.6: 0.578, 0.950, 0.948,
    0.792, 0.889, 0.631; the rules of the third carry a sentence's day to the next one in more
    cases, and with them the default moved to a context threshold of 0.9, as at 0.5 direction
    fell to 0.896, under its bar: Guardian 0.559, 0.952, 0.950, 0.810, 0.889, 0.616, crisis day
    recall 0.773 -> 0.795; the fourth stop's model, trained on L-O too, at its default event
    0.9, 0.95, 0 without second types: Guardian 0.554, 0.952, 0.929, 0.811, 0.893, 0.615,
    crisis A-O day recall 0.787; the fifth stop's, trained on P-U too, at class 0.4, 0.9, 0
    without second types: Guardian 0.549, 0.952, 0.932, 0.812, 0.896, 0.598, crisis A-U day
    recall 0.771; the sixth's, trained on V-Y too, at class 0.45, 0.5, 0 without second types:
    Guardian 0.557, 0.948, 0.942, 0.810, 0.895, 0.614, crisis A-Y day recall 0.775; the
    seventh's, trained on Z and AA-AG too, at class 0.4, 0, 0.6: Guardian 0.579, 0.944, 0.934,
    0.802, 0.892, 0.654, crisis A-AG day recall 0.772; the eighth's, trained on AH-AO too, at
    class 0.5, 0, 0 with second types at 0.4: Guardian 0.566, 0.945, 0.953, 0.808, 0.898,
    0.616, crisis A-AO day recall 0.790; the ninth's, trained on AP-AW too, at class 0.5, 0.9,
    0.6 without second types: Guardian 0.539, 0.955, 0.955, 0.836, 0.903, 0.615, crisis A-AW
    day recall 0.744; the tenth's, trained on AX-BE too, at class 0.6, 0.9, 0 with second types
    at 0.7: Guardian 0.533, 0.957, 0.962, 0.834, 0.910, 0.587, crisis A-BE day recall 0.773)
    and raised
    the crisis sets' (left out in turn, the
    Guardian-only model at class 0.4: day recall 0.694, category 0.819; trained with the other
    crisis sets too: 0.757, 0.832). On the held-out crisis sets of
    ``tests/extract/crisis_heldout/`` (never trained on; ``benchmarks/crisis_articles.py
    --root tests/extract/crisis_heldout``) see that folder's README.

    (Strict matching on the Guardian sets, where a row of the wrong type is a miss and a false
    positive: recall 0.388 -> 0.473, day-precision recall 0.413 -> 0.530, precision 0.881 ->
    0.846, exact date 0.953 -> 0.933, direction 0.971 -> 0.970. Guardian means of earlier
    models (recall, precision, exact date, category, direction, day recall): before the
    gazetteer's capitals and the Wagner Group were added (2026-12-06) 0.535, 0.951, 0.944,
    0.825, 0.900, 0.596; before the crisis-period rule rounds of the sixth session of
    2026-12-06 0.541, 0.951, 0.926, 0.829, 0.901, 0.607; after them 0.556, 0.949, 0.933,
    0.816, 0.901, 0.620. The lexicon's direction cue for steps towards
    Nato membership, widened on 2026-12-06 from requests to agreements, cooperation and
    support as the annotators code every accession step, was fitted on annotated errors,
    in-sample: no unseen annotated text was left to check it on.)

    History (strict scoring, event rule). The sets added on 2026-12-06 (comment, letters, live
    blogs about domestic politics) pulled the means down and moved the choice: with thirteen
    files it was threshold 0.2, context 0.9, single-actor 0.9, n-grams + lexicon + actor count
    (means 0.432 -> 0.571, precision 0.906 -> 0.856); with sixteen, threshold 0.8 (0.396 ->
    0.482, 0.874 -> 0.852). The choice before that day (threshold 0.4, context 0.95, no
    single-actor threshold), chosen on ten sets, has means 0.594 recall and 0.818 precision on
    thirteen sets: below the precision bar. A single-actor threshold buys precision for less
    recall than a higher main threshold does (thirteen sets, threshold 0.8 alone: recall 0.525,
    precision 0.852). With the issue's own precision target (0.8) as the bar instead of 0.85,
    the eighteen-set choice would be threshold 0.4, n-grams + lexicon + actor count (means
    0.517, 0.800); blind precision has so far always come in below the left-out means, hence
    the margin. Tried and not kept (means): inherited-date
    candidates at the main threshold (recall 0.634 but precision 0.743); a second event in a
    sentence the rules used when its type differs from theirs (recall +0.02, precision
    0.80-0.83 at thresholds 0.7-0.95; requiring a lexicon trigger of that type removed the
    gain); the act placed at the first lexicon trigger of the proposed type (recall 0.607
    against 0.612); month-precision candidates (recall +0.010, exact date -0.027); crude stems
    of the words as extra features (+0.004); a type model trained on event sentences only,
    with this model's p(none) (recall +0.03, precision -0.13); boosting the types whose
    lexicon triggers occur (no change); dated sentences with no actor of their own taking the
    previous sentence's ("The exercises began on 14 March"; eighteen sets: best admissible
    recall 0.457 against 0.464, though +0.006 recall and +0.017 day recall at the chosen
    setting, precision -0.007); training rows for every acceptable type of a gold row
    ("accuse|reject": both; no gain); the actors of the act's clause only instead of the
    sentence's (actor accuracy 0.456 -> 0.432). The rules were developed on the first four sets (and
    blind-5), so their own figures there are not blind; only the model's share is.

Operating points
    The model file's ``[operating_points.<name>]`` tables name settings of the rule and the
    three thresholds, each with the rule that chose it on the left-out means and its left-out
    figures (``load_model().operating_points``; ``strict_...`` under strict scoring, the rest
    type-free); ``extract_events(..., learned_threshold=name)``, ``SentenceModel.at(name)`` and
    ``eventstudy events/run --operating-point NAME`` use one. Chosen over both rules, the
    thresholds, context thresholds 0/0.5/0.9/0.95 and single-actor thresholds above:

    ========= ===================== ============================================================
    point     settings              chosen for
    ========= ===================== ============================================================
    typed     class 0.6, 0.9, 0;    the default: the most day-dated events (type-free) with
              second types 0.7      category >= 0.8, direction >= 0.9, precision >= 0.85, exact
                                    date >= 0.9 (the issue's targets but recall; margin
                                    0.0025); then the second-type threshold on the same bars
                                    (its margin 0)
    strict    event 0.3, 0, 0.6     the most events found with their type right (strict
                                    recall), strict precision >= 0.85, exact date >= 0.9
                                    (margin 0.0025)
    balanced  class 0.6, 0, 0.7     the most day-dated events (type-free) with precision >=
                                    0.85 and exact date >= 0.9 (margin 0.0025)
    ========= ===================== ============================================================

    Since the sixth stop of 2026-12-07 a point is chosen among the settings whose left-out
    means clear its bars by a margin, the smallest of 0, 0.0025, 0.005, 0.0075, 0.01, 0.015
    and 0.02 whose nested figures (below) clear the bars themselves
    (``train_sentence_model.choose_margins``): the means a choice is made on flatter the
    setting chosen, and without a margin the nested figures fell under a bar (typed: direction
    0.897 at class 0.3, 0.9, 0.6; balanced: exact date 0.889 at event 0.6, 0.95, 0.9). The
    margin is itself chosen on the nested figures of all the sets, so they flatter it a little.
    On the held-out sets Z, AA, AB and AC (sixth stop), typed with the margin / without it:
    day-dated recall 0.743 / 0.747, exact date 0.864 / 0.855, category 0.782 / 0.770,
    direction 0.863 / 0.864. Over the 75 sets of the tenth stop the margins are 0.0025 for all
    three points (the second-type threshold's 0: at 0.7 the left-out exact date is 0.901, the
    nested 0.900); over the 67 sets of the ninth stop, 0.0025 for all
    three points (over the 59 of the eighth, 0.005 for ``typed``; over the 51 of the seventh,
    0); ``balanced`` (without the category and direction bars) finds a little more than
    ``typed`` (left-out day-dated recall 0.714 against 0.710).

    Type-free means over all 75 sets, typed / strict / balanced (rules alone): day-dated recall
    0.728 / 0.821 / 0.719 (0.640), precision 0.971 / 0.953 / 0.970 (0.970), exact date 0.901 /
    0.878 / 0.903 (0.907), category 0.838 / 0.777 / 0.830 (0.832), direction 0.907 / 0.873 /
    0.902 (0.903). Over the Guardian sets alone: day-dated recall 0.587 / 0.806 / 0.607,
    precision 0.957 / 0.892 / 0.952, exact date 0.962 / 0.912 / 0.950, category 0.834 / 0.698 /
    0.817, direction 0.910 / 0.830 / 0.891; over the crisis sets alone: 0.773 / 0.826 / 0.754,
    0.976 / 0.973 / 0.976, 0.882 / 0.868 / 0.888, 0.839 / 0.802 / 0.834, 0.907 / 0.887 / 0.905
    (``["loso_guardian"]``, ``["loso_crisis"]`` of each point; 67 sets before the tenth stop,
    typed class 0.5, 0.9, 0.6 without second types: 0.710 day-dated recall, 0.970, 0.904, 0.833,
    0.904;
    59 sets before the ninth stop, typed class 0.5, 0, 0
    with second types at 0.4: 0.737 day-dated recall, 0.964, 0.901, 0.823, 0.903; 51 sets
    before the eighth stop, typed class 0.4, 0, 0.6
    without second types: 0.730 day-dated recall, 0.962, 0.900, 0.817, 0.901; 43 sets before
    the seventh stop, typed class 0.45, 0.5,
    0 with second types at 0.6: 0.722 day-dated recall, 0.958, 0.900, 0.820, 0.903; 39 sets
    before the sixth stop, typed class 0.4, 0.9, 0
    with second types at 0.6: 0.705 day-dated recall, 0.960, 0.900, 0.821, 0.901; 33 sets
    before the fifth stop of 2026-12-07, typed
    event 0.9, 0.95, 0 with second types at 0.4: 0.715 day-dated recall, 0.963, 0.905, 0.818,
    0.904; 29 sets before the fourth, typed class 0.3, 0.9, 0.6 without second types: 0.684
    day-dated recall, 0.966, 0.930, 0.818, 0.900). The default before 2026-12-06 (rule event,
    0.6, 0.95, 0.9, chosen on strict recall with the event rule only) had, on the Guardian
    sets, 0.589,
    0.633, 0.950, 0.940, 0.765, 0.892; strict 0.462 at 0.855. The class rule keeps a proposal
    only when its *type* is probable, so it drops the proposals whose type is a guess: at
    the same recall as the old default it types better. ``typed`` was class 0.4, 0, 0 until
    the crisis sets joined the training data (2026-12-07), then briefly class 0.45, 0, 0.6,
    then class 0.35, 0.5, 0 (which the retrained model of the next stop leaves 0.001 short of
    the direction bar), then class 0.3, 0.5, 0.6 (0.896 direction after the third stop's rules),
    then class 0.3, 0.9, 0.6 (over 33 sets its direction is 0.893, under the bar: the best
    class-rule setting over the bar has day-dated recall 0.688 against event 0.9's 0.693),
    then event 0.9, 0.95, 0 (over 39 sets its direction is 0.898), then for one commit of the
    fifth stop class 0.45, 0.5, 0 with second types at 0.7 (before that stop's second rule
    batch), then class 0.4, 0.9, 0 with second types at 0.6 (over 43 sets, without a margin,
    class 0.3, 0.9, 0.6 would be chosen), then class 0.45, 0.5, 0 with second types at 0.6
    (margin 0.0025), then class 0.4, 0, 0.6 without second types (margin 0), then class 0.5,
    0, 0 with second types at 0.4 (margin 0.005); ``strict`` was
    class 0.2,
    0.5, 0.6 until the gazetteer's capitals moved the means (2026-12-06), then event 0.5,
    0.95, 0.9, event 0.35, 0.95, 0.9, event 0.3, 0.9, 0.7, event 0.45, 0.95, 0 and event
    0.45, 0.9, 0, then event 0.4, 0.95, 0, then event 0.35, 0.9, 0; ``balanced`` was event
    0.2, 0.5, 0 (over 39 sets
    its exact date is 0.898, under its bar), then event 0.2, 0.95, 0.8, then class 0.4, 0.9,
    0.6, then class 0.4, 0.95, 0.6, then class 0.35, 0.9, 0.6.

    Each point is chosen on the same means it reports, so those figures flatter it, most
    where it sits on a bar (the default's exact date mean is 0.904, just over it). The *nested*
    figures (``["nested"]`` of each point, ``train_sentence_model.nested``) are the honest estimate
    for unseen text: each set scored at the point its rule chooses on the other 66 sets only, with
    the point's margin, without second types (``["nested_second"]`` nests the second-type threshold,
    the rest fixed: 0.713, 0.970, 0.904, 0.832, 0.903, as some sets left out let a threshold
    through). Typed /
    strict / balanced: day-dated recall 0.712 / 0.802 / 0.714, recall 0.679 / 0.774 / 0.680,
    precision 0.970 / 0.954 / 0.970, exact date 0.902 / 0.881 / 0.902, category 0.828 / 0.775 /
    0.831, direction 0.900 / 0.873 / 0.903 (over 59 sets, typed without its second types: 0.704 /
    0.968 / 0.909 / 0.831 / 0.906; over 51 sets: typed 0.726 / 0.966 / 0.901 / 0.820 / 0.902;
    over 43 sets: typed 0.714 / 0.965 / 0.901 / 0.824 / 0.903; over 39 sets, without margins:
    typed 0.699 / 0.963 / 0.912 / 0.813 / 0.889). The typed rule picks six different settings
    over the 67 sets (five over 59 and 51, nine over 43, eight over 39), so the
    default is not a stable optimum: many settings lie within 0.01 of each other on every bar.
    Every choice compares the means with its bars at the three decimals they are reported with
    (``train_sentence_model.left_out_means``). No
    point meets all five targets, nested or not: recall is the one typed misses.
    Not kept (left-out means): a pretrained sentence encoder (all-MiniLM-L6-v2, frozen, its
    embeddings typing the proposals by logistic regression alone or averaged with this model's
    type probabilities; ``benchmarks/pretrained_typing.py``) raised category accuracy by
    0.01-0.03 at the event rule and lowered direction by up to 0.02, and at the class-rule
    default bought nothing, at 71-75 sentences/s (PyTorch, one core: about 12 articles/s); a
    separate direction classifier for the proposals (n-grams, type and the lexicon's direction
    as features) lowered direction by 0.002-0.006; admitting proposals below the class threshold
    when a lexicon trigger of their type is in the sentence (at p(event) 0.3-0.7) added
    0.03-0.07 day-dated recall but cost 0.02-0.05 category accuracy; a stacked admission model
    (a logistic regression on each proposal's type and event probabilities, their margin,
    whether a lexicon trigger of its type is in the sentence, an inherited date, one actor and
    the type itself, trained on the other sets' out-of-fold proposals) deciding what to keep:
    at as many proposals as the default, day-dated recall 0.594 against 0.596 and category
    0.789 against 0.825; typed training sentences from every sentence a gold cue names, dated
    or not (2,269 against the candidates' 732), as extra rows of this model or as a separate
    type model under its p(none): the trade-off did not move (extra rows with the
    non-events too, class 0.5: day-dated recall 0.597, category 0.825, direction 0.893).
    With three times the typed sentences typing did not improve, so more annotation of the
    same kind is not a sure way to the targets either.

Measured blind (tests/extract/annotations/README.md)
    Sets annotated blind and scored before any model saw them: blind-8/9 with the model trained
    on six files, recall 0.304 -> 0.536 and 0.342 -> 0.474, precision 1.0 -> 0.909 and 0.774;
    blind-10/11 (91 units) with the model of commit c9b4e6e (eight files), recall 0.381 -> 0.548
    and 0.469 -> 0.612, precision 0.950 -> 0.805 and 0.839 -> 0.836, exact date 1.0 -> 1.0 and
    0.833 -> 0.950; pooled 0.429 -> 0.582 at precision 0.823 and exact date 0.974. On that
    evidence the pass is **on by default** (``extract_events(..., learned=False)`` and
    ``eventstudy events/run --no-learned`` give the rules alone). Blind-12/13/14 (93 units)
    with the model of commit cfdf127 (ten files): pooled recall 0.247 -> 0.430, precision
    0.833 -> 0.747, exact date 0.833 -> 0.889; blind-14 alone 0.208 -> 0.302 at precision 0.750,
    and 0.302 at precision 0.720 with the model trained on twelve files (blind-12/13 added; the
    same search on those twelve sets chose threshold 0.5, context 0.95, single-actor 0.6 and
    actor counts). Blind-15/16/17 (60 units: letters, comment, domestic live blogs): rules
    0.250 at precision 0.760; model of cfdf127 0.350 at 0.654; model of 65a7141 (thirteen
    files, threshold 0.2, single-actor 0.9) 0.283 at 0.711. Blind-18/19 (37 units, the last
    articles of the corpus): rules 0.216 at 0.818; cfdf127 0.351 at 0.654; 65a7141 0.378 at
    0.783; sixteen files, threshold 0.8, single-actor 0.9 0.297 at 0.812. Speed: ~215 against
    ~290 articles/s (synthetic corpus).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

from eventstudy._datafiles import data_path, load_toml
from eventstudy.errors import DataFileError, EventStudyError
from eventstudy.extract.coding import (
    _CAPTION_AFTER,
    _FURNITURE,
    CATEGORIES,
    Gazetteer,
    Lexicon,
    Mention,
    Trigger,
    _ArticleLike,
    _direction,
    _entry_label,
    _has_day_word,
    _Headings,
    _Hit,
    _modality,
    _subject_person,
    _usable,
    article_actors,
    doubts_pullback,
    load_gazetteer,
    load_lexicon,
    paragraph_timexes,
)
from eventstudy.extract.evaluate import cue_split
from eventstudy.extract.sentences import clause_spans, normalize, quote_spans, sentence_spans

__all__ = [
    "FEATURE_SETS",
    "NONE",
    "SCHEMA_VERSION",
    "Candidate",
    "OperatingPointError",
    "SentenceModel",
    "candidate_features",
    "candidates",
    "choose_agent",
    "choose_date",
    "default_model_path",
    "fit",
    "lexicon_features",
    "load_model",
    "propose",
    "second_types",
    "tokens",
    "write_model",
]

NONE = "none"
SCHEMA_VERSION = 1


class OperatingPointError(EventStudyError, ValueError):
    """A named operating point the sentence model does not have (the message lists those it
    has)."""


_EMBED = re.compile(r"pic\.twitter\.com|\(@\w+\)")
_QUOTE_MARK = "\"\u201c\u201d\u201e\u00ab\u00bb'\u2018"
_NEG = re.compile(r"\b(?:not|never|no longer|denied|denies|n't)\b|n't\b", re.I)
_MODAL = re.compile(
    r"\b(?:will|would|could|might|may|should|shall|plans? to|expected to|due to|going to|"
    r"intends? to|set to|hopes? to|wants? to)\b",
    re.I,
)
_COND = re.compile(r"\b(?:if|unless|whether)\b", re.I)
_PRONOUN_SUBJECT = re.compile(r"\b(?:he|she)\s+(?:[\w-]+\s+){0,2}\Z", re.I)
_RELATIVE = re.compile(r"\s*(?:who|which|where)\b", re.I)
_WINDOW = 3  # words either side of a date that become "d:<word>" features
_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f][\w'\u00c0-\u024f-]*|\d[\d,.:]*")
_CANDIDATE_PRECISIONS = ("day", "week")
_PRONOUN_START = re.compile(r"\s*(?:[A-Z][a-z]+,\s+)?()(?:[Hh]e|[Ss]he)\b")
_CONTEXT_START = re.compile(r"\s*(?:Later|Earlier|During|At the|Afterwards|Speaking|He|She)\b")
_CONTEXT_CUE = re.compile(r"\b(?:also|added|(?:he|she) said|said (?:he|she))\b")
_CONTEXT_ANYWHERE = re.compile(r"\b(?:the same day|that day|later that day)\b", re.I)


def default_model_path() -> Path:
    """``data/events/sentence_model.toml`` (its weights: the ``.csv`` beside it)."""
    return data_path("events", "sentence_model.toml")


# ----------------------------------------------------------------------------------------------
# candidates and features


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence with a day/week date and an actor: one the rules left alone, or (``ruled``)
    the evidence of a rule mention (see :func:`candidates`' ``rule_sentences``)."""

    article_id: str
    published: dt.date
    start: int  # sentence span in article.text
    end: int
    text: str  # the normalised sentence
    tokens: tuple[str, ...]
    offsets: tuple[int, ...]  # article offset of each token
    timexes: tuple[Any, ...]  # (start, end, timex) with article offsets, in order
    actors: tuple[tuple[int, str], ...]  # (article offset, code), in order
    extra: tuple[str, ...] = ()  # sentence-level features (see :func:`sentence_features`)
    lex: tuple[tuple[int, int, Trigger], ...] = ()  # lexicon trigger matches: (start, end, rule)
    inherited: bool = False  # the dates are the last dated sentence's (no date of its own)
    raw: str = ""  # the sentence as the article spells it (``text`` is normalised)
    ruled: bool = False  # the sentence is already the evidence of a rule mention


def tokens(
    norm: str,
    start: int,
    end: int,
    dates: Sequence[tuple[int, int]] = (),
    actor_starts: Iterable[int] = (),
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Placeholder tokens of ``norm[start:end]`` and their offsets.

    Date spans become one ``_date_``; a word starting at an actor offset (with the capitalised
    words right after it) ``_actor_``; other capitalised words after the first ``_name_``;
    numbers ``_num_``; everything else its lower-cased form (a trailing "'s" dropped).
    """
    actor_at = set(actor_starts)
    out: list[str] = []
    offs: list[int] = []
    put, put_off = out.append, offs.append
    di = 0
    dates = sorted(dates)
    n_dates = len(dates)
    first = True
    prev_actor = False
    for m in _TOKEN.finditer(norm, start, end):
        a = m.start()
        if n_dates:
            while di < n_dates and dates[di][1] <= a:
                di += 1
            if di < n_dates and dates[di][0] <= a:  # inside a date span
                if not (out and out[-1] == "_date_" and offs[-1] >= dates[di][0]):
                    put("_date_")
                    put_off(dates[di][0])
                first = prev_actor = False
                continue
        w = m.group()
        c = w[0]
        if c.isdigit():
            tok = "_num_"
            prev_actor = False
        elif a in actor_at:
            if prev_actor and out and out[-1] == "_actor_":
                first = False
                continue
            tok = "_actor_"
            prev_actor = True
        elif c.isupper() and prev_actor:
            first = False
            continue  # the rest of an actor's name ("Vladimir Putin")
        elif c.isupper() and not first:
            tok = "_name_"
            prev_actor = False
        else:
            tok = w.lower()
            if tok.endswith("'s"):
                tok = tok[:-2]
            prev_actor = False
        first = False
        put(tok)
        put_off(a)
    return tuple(out), tuple(offs)


def features(toks: Sequence[str]) -> list[str]:
    """Unigrams and bigrams (``"a b"``, with ``<s>``/``</s>`` boundaries) of a token list."""
    seq = ["<s>", *toks, "</s>"]
    return list(toks) + [f"{x} {y}" for x, y in pairwise(seq)]


def sentence_features(
    text: str,
    toks: Sequence[str],
    n_actors: int,
    quoted_share: float,
) -> tuple[str, ...]:
    """Sentence-level features beside the n-grams (all named ``_f_...`` or ``d:<word>``).

    Negation, modal and conditional cues anywhere in the sentence; the sentence opening with a
    quotation mark, mostly quoted; how many actors (1, 2, 3+); an actor or a date among the
    first three tokens; the length (short < 15 tokens, long >= 35); and the words within
    three tokens of each date (``d:said``, ``d:met``), which tell the act the date governs.
    """
    out = []
    if _NEG.search(text):
        out.append("_f_neg")
    if _MODAL.search(text):
        out.append("_f_modal")
    if _COND.search(text):
        out.append("_f_cond")
    if text.lstrip()[:1] in _QUOTE_MARK:
        out.append("_f_qstart")
    if quoted_share > 0.5:
        out.append("_f_qmost")
    out.append(f"_f_nact{min(n_actors, 3)}")
    if "_actor_" in toks[:3]:
        out.append("_f_act0")
    if "_date_" in toks[:3]:
        out.append("_f_date0")
    n = len(toks)
    out.append("_f_short" if n < 15 else "_f_long" if n >= 35 else "_f_mid")
    near: set[str] = set()
    for i, t in enumerate(toks):
        if t != "_date_":
            continue
        for w in toks[max(0, i - _WINDOW) : i + _WINDOW + 1]:
            if not w.startswith("_"):
                near.add(f"d:{w}")
    out.extend(sorted(near))
    return tuple(out)


def lexicon_features(cand: Candidate) -> list[str]:
    """``_lex_<type>`` for every PLOVER type a trigger of the rules' lexicon matches in the
    sentence (whatever the rules' context conditions say): the rules' vocabulary as a prior."""
    return sorted({f"_lex_{t.category}" for _, _, t in cand.lex})


def candidate_features(cand: Candidate, feature_set: str = "ngrams") -> list[str]:
    """The model's features of a candidate: the n-grams of its tokens (``feature_set``
    ``"ngrams"``), with its sentence features (``"...+sentence"``), the types of the lexicon
    triggers in it (``"ngrams+lex"``, :func:`lexicon_features`) and whether it names one actor
    or more (``"...+nact"``: ``_f_nact1`` / ``_f_nact2``)."""
    out = features(cand.tokens)
    parts = feature_set.split("+")
    if "lex" in parts:
        out.extend(lexicon_features(cand))
    if "nact" in parts:
        out.append("_f_nact1" if len({code for _, code in cand.actors}) == 1 else "_f_nact2")
    if "sentence" in parts:
        out.extend(cand.extra)
    return out


def candidates(
    article: _ArticleLike,
    *,
    rule_starts: Iterable[int] = (),
    gazetteer: Gazetteer | None = None,
    find_timexes: Any = None,
    lexicon: Lexicon | None = None,
    context: bool = True,
    rule_sentences: bool = False,
    feature_set: str | None = None,
    paragraph_hits: dict[tuple[int, int], list[tuple[int, int, Trigger]]] | None = None,
) -> list[Candidate]:
    """The candidate sentences of one article (see the module docstring).

    ``rule_starts`` holds the sentence starts that are already the evidence of a rule mention.
    Those sentences are no candidates, unless ``rule_sentences``: then they are too, marked
    ``ruled`` (for second types, :func:`second_types`), and everything else is as without it
    (a rule's sentence passes its date on, but not its first person, as ever). With a
    ``feature_set`` that reads no sentence features (:func:`sentence_features`), their
    ``extra`` is left empty (it is not read). ``paragraph_hits`` holds the lexicon's matches
    of paragraphs by article span (:func:`~eventstudy.extract.coding.code_article` fills it); a
    sentence's are those inside it (else the lexicon is asked).
    """
    want_extra = feature_set is None or "sentence" in feature_set
    if find_timexes is None:
        from eventstudy.extract.timex import find_timexes
    taken = set(rule_starts)
    lex = lexicon or load_lexicon()
    text = article.text
    gaz = article_actors(gazetteer or load_gazetteer(), normalize(text), article.published)
    norm = gaz.norm  # the rules' own string when they read the article just before
    quotes: list[tuple[int, int]] | None = None
    out: list[Candidate] = []
    pos = 0
    # the last dated sentence's day/week dates (article offsets) and paragraph; the last person
    last_dates: list[tuple[int, int, Any]] = []
    last_par = -1
    last_person: tuple[int, str] | None = None
    headings = _Headings(article.published, find_timexes)  # a timeline's "13 January"
    previous: str | None = None  # the paragraph before (see coding.paragraph_timexes)
    for pi, par in enumerate(article.paragraphs):
        p0 = text.find(par, pos) if par else -1
        if p0 < 0:
            continue
        p1 = p0 + len(par)
        pos = p1
        previous, par_before = par, previous
        under: list[tuple[int, int, Any]] = []  # the dated heading's date (article offsets)
        if context:
            is_heading, got = headings.step(par, p0)
            if is_heading:
                continue
            if got is not None:
                under = [(got.start + headings.offset, got.end + headings.offset, got)]
        timexes: list[Any] = []
        if _has_day_word(norm, p0, p1) or "week" in par:
            timexes = [
                t
                for t in paragraph_timexes(find_timexes, par, article.published, par_before)
                if t.precision in _CANDIDATE_PRECISIONS and _usable(t, article.published, par)
            ]
        if (
            not timexes
            and not under
            and not (context and last_dates and _CONTEXT_CUE.search(norm, p0, p1))
        ):
            continue
        entry = _entry_label(norm, p0, timexes) if context else None
        for s0, s1 in sentence_spans(norm, p0, p1):
            own = [(t.start + p0, t.end + p0, t) for t in timexes if s0 <= t.start + p0 < s1]
            inherited = False
            if not own and entry is not None:
                # an entry's sentence after its label ("MONDAY. The talks began ...")
                own, inherited = [(entry.start + p0, entry.end + p0, entry)], True
            elif not own and under:
                own, inherited = under, True  # an entry under a dated heading
            elif not own:
                if not (context and last_dates and _inherits(norm, s0, s1, pi == last_par)):
                    continue
                own, inherited = last_dates, True
            ruled = s0 in taken
            if ruled:
                if not inherited:
                    last_dates, last_par = own, pi
                if not rule_sentences:
                    continue
            if _CAPTION_AFTER.match(norm, s1) or _FURNITURE.match(norm, s0):
                continue
            if _EMBED.search(norm, s0, s1) or _CAPTION_AFTER.match(norm, s0):
                continue  # an embedded tweet, a caption run into the next sentence

            if norm[s1 - 1] == "?" or norm[s0:s1].rstrip("\"' )").endswith("?"):
                continue
            actors = gaz.actors_in(norm, s0, s1, own[0][2].date)
            people = [x for x in actors if gaz.is_person(norm, x[0])]
            pron = _PRONOUN_START.match(norm, s0) if context else None
            if pron and last_person is not None and not (people and people[0][0] < s0 + 40):
                actors = sorted([(pron.start(1), last_person[1]), *actors])
            if people and not ruled:
                last_person = people[0]  # the sentence's subject, usually
            if not inherited:
                last_dates, last_par = own, pi
            if not actors:
                continue
            spans = [] if inherited else [(a, b) for a, b, _ in own]
            toks, offs = tokens(norm, s0, s1, spans, (a for a, _ in actors))
            if inherited:
                toks, offs = ("_ctx_", *toks), (s0, *offs)
            extra: tuple[str, ...] = ()
            if want_extra:
                if quotes is None:
                    quotes = quote_spans(text)
                inside = sum(max(0, min(b, s1) - max(a, s0)) for a, b in quotes)
                extra = sentence_features(
                    norm[s0:s1], toks, len({c for _, c in actors}), inside / max(1, s1 - s0)
                )
            out.append(
                Candidate(
                    article_id=article.id,
                    published=article.published,
                    start=s0,
                    end=s1,
                    text=norm[s0:s1],
                    tokens=toks,
                    offsets=offs,
                    timexes=tuple(own),
                    actors=tuple(actors),
                    extra=extra,
                    lex=_sentence_hits(lex, norm, s0, s1, paragraph_hits, (p0, p1)),
                    inherited=inherited,
                    raw=text[s0:s1],
                    ruled=ruled,
                )
            )
    return out


def _sentence_hits(
    lex: Lexicon,
    norm: str,
    s0: int,
    s1: int,
    paragraph_hits: dict[tuple[int, int], list[tuple[int, int, Trigger]]] | None,
    paragraph: tuple[int, int],
) -> tuple[tuple[int, int, Trigger], ...]:
    """The lexicon's matches in sentence ``s0..s1``: those of its paragraph inside it when the
    paragraph's are known, else the lexicon's own."""
    hits = paragraph_hits.get(paragraph) if paragraph_hits is not None else None
    if hits is None:
        return tuple(lex.find(norm, s0, s1))
    return tuple(h for h in hits if s0 <= h[0] and h[1] <= s1)


def _inherits(norm: str, s0: int, s1: int, same_paragraph: bool) -> bool:
    """Whether a sentence without a date of its own continues the last dated one: in the dated
    sentence's paragraph, it opens with "Later"/"Earlier"/"During"/"At the"/"Speaking"/"He"/
    "She", or holds "also"/"added"/"he said"; anywhere after it, it holds "that day"/"the same
    day" (when the resolver left them undated)."""
    if _CONTEXT_ANYWHERE.search(norm, s0, s1):
        return True
    if not same_paragraph:
        return False
    return bool(_CONTEXT_START.match(norm, s0) or _CONTEXT_CUE.search(norm, s0, s1))


# ----------------------------------------------------------------------------------------------
# the model


@dataclass(frozen=True)
class SentenceModel:
    """A fitted multinomial logistic regression over sentence features.

    ``weights[j, k]`` is feature ``vocabulary[j]``'s weight for ``classes[k]``; ``bias[k]`` the
    intercept. ``threshold`` is the default probability needed to propose an event: of any
    event, ``1 - p(none)``, when ``rule`` is ``"event"``; of the best type when ``"class"``.
    ``feature_set`` names the features the model reads (:func:`candidate_features`).
    """

    classes: tuple[str, ...]
    vocabulary: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    threshold: float = 0.5
    context_threshold: float = 0.0  # at least this for candidates with an inherited date
    single_threshold: float = 0.0  # at least this for candidates naming one actor only
    # second types in the rules' sentences: at least this probability of the type (0: none)
    second_threshold: float = 0.0
    l2: float = 1.0
    min_count: int = 2
    rule: str = "event"
    feature_set: str = "ngrams"
    provenance: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    # name -> {"threshold", "context_threshold", "single_threshold"[, "second_threshold",
    # "rule", "chosen_by", "loso", ...]}
    operating_points: dict[str, dict[str, Any]] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self._index:
            self._index.update({f: i for i, f in enumerate(self.vocabulary)})

    def at(self, point: str) -> SentenceModel:
        """This model with the thresholds (and the rule) of its operating point ``point`` (a
        point without ``second_threshold`` proposes no second types).

        The model file's ``[operating_points.<name>]`` tables name settings of the thresholds
        with their leave-one-set-out means (``operating_points[name]["loso"]``) and the nested
        figures of the rule that chose them (``["nested"]``: each set scored at the point
        chosen without it, the estimate for unseen text); the bundled
        file has ``"typed"`` (its default settings), ``"strict"`` and ``"balanced"`` (see the
        module docstring). Raises :class:`OperatingPointError` (a ``ValueError``) naming the points
        there are when ``point`` is not one.
        """
        got = self.operating_points.get(point)
        if got is None:
            have = ", ".join(repr(k) for k in self.operating_points) or "none"
            where = self.path or "this model"
            raise OperatingPointError(f"operating point {point!r}: {where} has {have}")
        return replace(
            self,
            threshold=float(got["threshold"]),
            context_threshold=float(got["context_threshold"]),
            single_threshold=float(got["single_threshold"]),
            second_threshold=float(got.get("second_threshold", 0.0)),
            rule=str(got.get("rule", self.rule)),
        )

    def own_point(self) -> str | None:
        """The name of the operating point whose rule and thresholds are this model's own
        settings (the first such), else ``None``."""
        own = (self.rule, *(getattr(self, k) for k in _POINT_FIELDS), self.second_threshold)
        for name, p in self.operating_points.items():
            theirs = (*(p[k] for k in _POINT_FIELDS), p.get("second_threshold", 0.0))
            if (p.get("rule", self.rule), *theirs) == own:
                return name
        return None

    def matrix(self, docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """Binary document-feature matrix of feature lists (unknown features ignored)."""
        return _matrix(docs, self._index)

    def predict_proba(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        """Class probabilities, one row per document (feature list), columns :attr:`classes`."""
        if not docs:
            return np.zeros((0, len(self.classes)))
        index, w = self._index, self.weights
        z = np.empty((len(docs), len(self.classes)))
        for i, doc in enumerate(docs):
            js = list({index[f] for f in doc if f in index})
            z[i] = w[js].sum(axis=0) + self.bias if js else self.bias
        return _softmax(z)

    def strongest(self, toks: Sequence[str], klass: str) -> int:
        """Index of the token whose unigram weighs most for ``klass`` (0 when none is known)."""
        k = self.classes.index(klass)
        best, best_w = 0, -math.inf
        for i, t in enumerate(toks):
            j = self._index.get(t)
            if j is not None and self.weights[j, k] > best_w:
                best, best_w = i, float(self.weights[j, k])
        return best


def _matrix(docs: Sequence[Sequence[str]], index: dict[str, int]) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for i, doc in enumerate(docs):
        js = {index[f] for f in doc if f in index}
        rows.extend([i] * len(js))
        cols.extend(sorted(js))
    data = np.ones(len(rows))
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(docs), len(index)))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit(
    docs: Sequence[Sequence[str]],
    labels: Sequence[str],
    *,
    l2: float = 1.0,
    min_count: int = 2,
    threshold: float = 0.5,
    rule: str = "event",
    feature_set: str = "ngrams",
    provenance: dict[str, Any] | None = None,
    context_threshold: float = 0.0,
    single_threshold: float = 0.0,
    second_threshold: float = 0.0,
) -> SentenceModel:
    """Fit the L2-penalised multinomial logistic regression.

    Minimises ``-sum_i log p(y_i | x_i) + l2 * ||W||^2`` (intercepts unpenalised) from zero
    weights with L-BFGS; deterministic for the same inputs (features and classes are sorted).
    """
    if len(docs) != len(labels):
        raise ValueError(f"{len(docs)} documents but {len(labels)} labels")
    counts: dict[str, int] = {}
    for doc in docs:
        for f in set(doc):
            counts[f] = counts.get(f, 0) + 1
    vocab = tuple(sorted(f for f, c in counts.items() if c >= min_count))
    classes = (NONE, *sorted({y for y in labels if y != NONE}))
    index = {f: i for i, f in enumerate(vocab)}
    x = _matrix(docs, index)
    y = np.array([classes.index(v) for v in labels])
    n, p = x.shape
    k = len(classes)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: p * k].reshape(p, k)
        b = theta[p * k :]
        z = x @ w + b
        zmax = z.max(axis=1, keepdims=True)
        lse = zmax[:, 0] + np.log(np.exp(z - zmax).sum(axis=1))
        nll = float(lse.sum() - (z * onehot).sum())
        prob = np.exp(z - lse[:, None])
        g = prob - onehot
        gw = np.asarray(x.T @ g) + 2.0 * l2 * w
        gb = g.sum(axis=0)
        return nll + l2 * float((w * w).sum()), np.concatenate([gw.ravel(), gb])

    res = minimize(
        loss,
        np.zeros(p * k + k),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 2000, "gtol": 1e-7},
    )
    theta = res.x
    return SentenceModel(
        classes=classes,
        vocabulary=vocab,
        weights=theta[: p * k].reshape(p, k),
        bias=theta[p * k :],
        threshold=threshold,
        context_threshold=context_threshold,
        single_threshold=single_threshold,
        second_threshold=second_threshold,
        l2=l2,
        min_count=min_count,
        rule=rule,
        feature_set=feature_set,
        provenance=dict(provenance or {}),
    )


# ----------------------------------------------------------------------------------------------
# the data file

_BIAS = "__bias__"
_RULES = ("event", "class")
FEATURE_SETS = (
    "ngrams",
    "ngrams+sentence",
    "ngrams+lex",
    "ngrams+lex+nact",
    "ngrams+lex+sentence",
)
_HEADER_FIELDS = {
    "schema": int,
    "classes": list,
    "threshold": float,
    "l2": float,
    "min_count": int,
    "rule": str,
    "n_features": int,
    "weights": str,
}


def write_model(model: SentenceModel, path: str | Path) -> Path:
    """Write the header (TOML) at ``path`` and the weights CSV beside it (same stem)."""
    p = Path(path)
    csv_path = p.with_suffix(".csv")
    lines = [
        "# Sentence model of the learned second pass (eventstudy.extract.learned).",
        "# Written by benchmarks/train_sentence_model.py; do not edit by hand: retrain.",
        "[model]",
        f"schema = {SCHEMA_VERSION}",
        "classes = [" + ", ".join(f'"{c}"' for c in model.classes) + "]",
        f"threshold = {model.threshold!r}",
        f"context_threshold = {float(model.context_threshold)!r}",
        f"single_threshold = {float(model.single_threshold)!r}",
        f"second_threshold = {float(model.second_threshold)!r}",
        f"l2 = {float(model.l2)!r}",
        f"min_count = {model.min_count}",
        f'rule = "{model.rule}"',
        f'features = "{model.feature_set}"',
        f"n_features = {len(model.vocabulary)}",
        f'weights = "{csv_path.name}"',
        "",
        "[training]",
    ]
    for key, value in sorted(model.provenance.items()):
        lines.append(f"{key} = {_toml_value(value)}")
    for name, point in model.operating_points.items():
        lines += ["", f"[operating_points.{name}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in point.items()]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        wr = csv.writer(fh, lineterminator="\n")
        wr.writerow(["feature", *model.classes])
        wr.writerow([_BIAS, *(f"{v:.6g}" for v in model.bias)])
        for f, row in zip(model.vocabulary, model.weights, strict=True):
            wr.writerow([f, *(f"{v:.6g}" for v in row)])
    return p


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_model(path: str | Path | None = None) -> SentenceModel:
    """Read and check a sentence model (default :func:`default_model_path`).

    Raises :class:`~eventstudy.errors.DataFileError` naming the file and the field when the
    header lacks a field or has the wrong type or schema version, a class is not ``"none"`` or a
    PLOVER type, the weights file is missing, its header is not ``feature`` then the classes, a
    weight is not a finite number, a feature repeats, or the feature count disagrees.
    """
    return _load_model(str(Path(path) if path is not None else default_model_path()))


@lru_cache(maxsize=8)
def _load_model(path: str) -> SentenceModel:
    p = Path(path)
    if not p.is_file():
        raise DataFileError(
            p, "file", "not found (train one with benchmarks/train_sentence_model.py)"
        )
    raw = load_toml(p)
    head = raw.get("model")
    if not isinstance(head, dict):
        raise DataFileError(p, "[model]", "table missing")
    for name, kind in _HEADER_FIELDS.items():
        if name not in head:
            raise DataFileError(p, "[model]", f"field {name!r} missing")
        v = head[name]
        ok = (
            isinstance(v, int | float) and not isinstance(v, bool)
            if kind is float
            else (isinstance(v, kind) and not isinstance(v, bool))
        )
        if not ok:
            raise DataFileError(p, "[model]", f"field {name!r} = {v!r} is not a {kind.__name__}")
    if head["schema"] != SCHEMA_VERSION:
        raise DataFileError(
            p,
            "[model]",
            f"field 'schema' = {head['schema']!r}; this version reads {SCHEMA_VERSION}",
        )
    classes = tuple(str(c) for c in head["classes"])
    if not classes or classes[0] != NONE or len(set(classes)) != len(classes):
        raise DataFileError(
            p, "[model]", f"field 'classes' = {list(classes)!r}: must start with 'none', no repeats"
        )
    for c in classes[1:]:
        if c not in CATEGORIES:
            raise DataFileError(
                p, "[model]", f"field 'classes': {c!r} is not one of {list(CATEGORIES)}"
            )
    threshold = float(head["threshold"])
    if not 0.0 < threshold <= 1.0:
        raise DataFileError(p, "[model]", f"field 'threshold' = {threshold!r} not in (0, 1]")
    optional = {}
    for name in ("context_threshold", "single_threshold", "second_threshold"):
        value = head.get(name, 0.0)
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
            raise DataFileError(p, "[model]", f"field {name!r} = {value!r} not in [0, 1]")
        optional[name] = float(value)
    if head["rule"] not in _RULES:
        raise DataFileError(
            p, "[model]", f"field 'rule' = {head['rule']!r} is not one of {list(_RULES)}"
        )
    feature_set = head.get("features", "ngrams")
    if feature_set not in FEATURE_SETS:
        raise DataFileError(
            p, "[model]", f"field 'features' = {feature_set!r} is not one of {list(FEATURE_SETS)}"
        )
    wp = p.parent / head["weights"]
    if not wp.is_file():
        raise DataFileError(p, "[model]", f"field 'weights' = {head['weights']!r}: {wp} not found")
    vocab: list[str] = []
    rows: list[list[float]] = []
    bias: list[float] | None = None
    with wp.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != ["feature", *classes]:
            raise DataFileError(
                wp, "line 1", f"header {header!r}, expected {['feature', *classes]!r}"
            )
        seen: set[str] = set()
        for lineno, rec in enumerate(reader, start=2):
            if len(rec) != len(classes) + 1:
                raise DataFileError(
                    wp, f"line {lineno}", f"{len(rec)} fields, expected {len(classes) + 1}"
                )
            try:
                vals = [float(v) for v in rec[1:]]
            except ValueError as exc:
                raise DataFileError(wp, f"line {lineno}", f"weight not a number: {exc}") from exc
            if not all(math.isfinite(v) for v in vals):
                raise DataFileError(wp, f"line {lineno}", "weight not finite")
            f = rec[0]
            if f in seen:
                raise DataFileError(wp, f"line {lineno}", f"field 'feature' = {f!r} repeats")
            seen.add(f)
            if f == _BIAS:
                bias = vals
            else:
                vocab.append(f)
                rows.append(vals)
    if bias is None:
        raise DataFileError(wp, "feature", f"no {_BIAS!r} row (the intercepts)")
    if len(vocab) != head["n_features"]:
        raise DataFileError(
            p,
            "[model]",
            f"field 'n_features' = {head['n_features']} but {wp.name} has {len(vocab)}",
        )
    training = raw.get("training", {})
    points = _operating_points(p, raw.get("operating_points", {}))
    return SentenceModel(
        classes=classes,
        vocabulary=tuple(vocab),
        weights=np.array(rows, dtype=float).reshape(len(vocab), len(classes)),
        bias=np.array(bias, dtype=float),
        threshold=threshold,
        context_threshold=optional["context_threshold"],
        single_threshold=optional["single_threshold"],
        second_threshold=optional["second_threshold"],
        l2=float(head["l2"]),
        min_count=int(head["min_count"]),
        rule=str(head["rule"]),
        feature_set=str(feature_set),
        provenance=dict(training) if isinstance(training, dict) else {},
        path=str(p),
        operating_points=points,
    )


_POINT_NAME = re.compile(r"[a-z][a-z0-9_-]*\Z")
_POINT_FIELDS = ("threshold", "context_threshold", "single_threshold")
_POINT_OPTIONAL = ("second_threshold",)  # in [0, 1]; absent: 0 (off)
# a point's figures: its left-out means ("loso", chosen on them) and, optional, the nested
# figures of the rule that chose it (each set scored at the point chosen without it) and the
# left-out means over the Guardian sets and over the crisis sets apart; "nested_second": the
# nested figures of the second-type threshold's choice, the rest of the point fixed
_POINT_FIGURES = ("loso", "nested", "loso_guardian", "loso_crisis", "nested_second")


def _operating_points(p: Path, raw: Any) -> dict[str, dict[str, Any]]:
    """The checked ``[operating_points.<name>]`` tables of a model file (optional)."""
    if not isinstance(raw, dict):
        raise DataFileError(p, "[operating_points]", "expected tables [operating_points.<name>]")
    out: dict[str, dict[str, Any]] = {}
    for name, point in raw.items():
        where = f"[operating_points.{name}]"
        if not _POINT_NAME.match(name) or not isinstance(point, dict):
            raise DataFileError(p, where, "expected a lower-case name and a table")
        unknown = set(point) - {
            *_POINT_FIELDS,
            *_POINT_OPTIONAL,
            "rule",
            "chosen_by",
            *_POINT_FIGURES,
        }
        if unknown:
            raise DataFileError(p, where, f"unknown field(s) {sorted(unknown)}")
        for key in (*_POINT_FIELDS, *(k for k in _POINT_OPTIONAL if k in point)):
            v = point.get(key)
            low_ok = key != "threshold"
            if (
                not isinstance(v, int | float)
                or isinstance(v, bool)
                or not (0.0 <= v <= 1.0 if low_ok else 0.0 < v <= 1.0)
            ):
                want = "[0, 1]" if low_ok else "(0, 1]"
                raise DataFileError(p, where, f"field {key!r} = {v!r}: expected a number in {want}")
        figures: dict[str, dict[str, float]] = {}
        for key in _POINT_FIGURES:
            table = point.get(key, {})
            if not isinstance(table, dict) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in table.values()
            ):
                raise DataFileError(
                    p, where, f"field {key!r} = {table!r}: expected a table of numbers"
                )
            if key in point or key == "loso":
                figures[key] = {k: float(v) for k, v in table.items()}
        if not isinstance(point.get("chosen_by", ""), str):
            raise DataFileError(p, where, "field 'chosen_by': expected a string")
        if point.get("rule", _RULES[0]) not in _RULES:
            raise DataFileError(
                p, where, f"field 'rule' = {point['rule']!r} is not one of {list(_RULES)}"
            )
        out[name] = {
            **({"rule": point["rule"]} if "rule" in point else {}),
            **{k: float(point[k]) for k in _POINT_FIELDS},
            **{k: float(point[k]) for k in _POINT_OPTIONAL if k in point},
            **({"chosen_by": point["chosen_by"]} if "chosen_by" in point else {}),
            **figures,
        }
    return out


def file_digest(paths: Iterable[str | Path]) -> str:
    """SHA-256 (first 16 hex digits) of the files' bytes, in the given order."""
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:16]


# ----------------------------------------------------------------------------------------------
# proposals


_UNREFINED: dict[tuple[str, int], Trigger] = {}


def _act_rule(
    cand: Candidate, category: str, word_at: int, norm: str, clause: tuple[int, int], lex: Lexicon
) -> Trigger:
    """How to code a proposal of ``category`` whose act is the word at ``word_at``.

    A lexicon trigger of that type in the sentence (the nearest to the act; whatever its
    context conditions) gives its rule, refined by the clause text after it as the rules do
    (a refinement that changes the type is not applied); otherwise the lexicon's unrefined
    coding of the type (:meth:`~eventstudy.extract.coding.Lexicon.unrefined`: its
    ``[[category]]`` entry, no mode, since nothing says which refinement it is). Renamed
    ``learned.<rule>`` for the catalog's ``trigger``.
    """
    same = [(a, b, t) for a, b, t in cand.lex if t.category == category]
    if same:
        _, b, t = min(same, key=lambda m: (abs(m[0] - word_at), m[0]))
        refined = t.refined(norm[b : max(b, clause[1])])
        rule = refined if refined.category == category else t
        return replace(rule, name=f"learned.{t.name}")
    key = (category, id(lex))
    got = _UNREFINED.get(key)
    if got is None:
        got = _UNREFINED[key] = replace(
            lex.unrefined(category),
            name=f"learned.{category}",
            priority=0,
            speech=False,
            context=None,
            not_context=None,
            refine=(),
        )
    return got


def _clause_of(
    clauses: Sequence[tuple[int, int]], pos: int, whole: tuple[int, int]
) -> tuple[int, int]:
    return next(((x, y) for x, y in clauses if x <= pos < y), whole)


def choose_date(
    cand: Candidate, model: SentenceModel, klass: str, clauses: Sequence[tuple[int, int]]
) -> tuple[tuple[int, int, Any], int]:
    """The date expression that governs the proposed act, and the act's token index.

    The act is the token whose unigram weighs most for ``klass`` (:meth:`SentenceModel.strongest`);
    the date the day expression (else week expression) nearest to it within its clause
    (:func:`~eventstudy.extract.sentences.clause_spans`: "but", "while", "after", "who" ... start
    a clause), or nearest in the sentence when its clause has none. Ties: the earlier one.
    """
    i = model.strongest(cand.tokens, klass)
    word_at = cand.offsets[i] if cand.offsets else cand.start
    days = [t for t in cand.timexes if t[2].precision == "day"]
    pool = days or list(cand.timexes)
    x, y = _clause_of(clauses, word_at, (cand.start, cand.end))
    near = [t for t in pool if x <= t[0] < y] or pool
    return min(near, key=lambda t: (abs(t[0] - word_at), t[0])), i


def choose_agent(
    norm: str,
    cand: Candidate,
    word_at: int,
    clause: tuple[int, int],
    is_person: Any = None,
) -> str:
    """The acting actor of a proposal, as the rules choose a trigger's subject.

    The first actor named in the act's clause before the act; else, for a relative clause
    ("von der Leyen on Wednesday, who accused Moscow"), the actor named last before the clause;
    else the sentence's subject: the first actor named before the clause (after "he"/"she"
    just before the act, the person named last); else the first actor of the clause; else of the
    sentence.
    """
    return _subject(norm, cand, word_at, clause, is_person)[1]


def _subject(
    norm: str,
    cand: Candidate,
    word_at: int,
    clause: tuple[int, int],
    is_person: Any = None,
) -> tuple[int, str]:
    """``(offset, code)`` of the actor :func:`choose_agent` chooses."""
    actors = cand.actors
    before = [(pos, c) for pos, c in actors if clause[0] <= pos < word_at]
    if before:
        return before[0]
    earlier = [(pos, c) for pos, c in actors if pos < clause[0]]
    if earlier:
        if _RELATIVE.match(norm, clause[0]):
            return earlier[-1]
        if _PRONOUN_SUBJECT.search(norm[max(clause[0], word_at - 40) : word_at]):
            people = [a for a in earlier if is_person is None or is_person(norm, a[0])]
            return (people or earlier)[-1]
        return earlier[0]
    inside = [(pos, c) for pos, c in actors if clause[0] <= pos < clause[1]]
    return (inside or list(actors))[0]


def propose(
    cands: Sequence[Candidate],
    model: SentenceModel,
    *,
    threshold: float | None = None,
    lexicon: Lexicon | None = None,
    gazetteer: Gazetteer | None = None,
    include_hypothetical: bool = False,
    rule: str | None = None,
    context_threshold: float | None = None,
    single_threshold: float | None = None,
) -> list[Mention]:
    """Mentions for the candidates whose probability of an event clears ``threshold``.

    ``rule`` (default: the model's) ``"event"`` compares the probability of any event,
    ``1 - p(none)``, with the threshold; ``"class"`` that of the most probable type. A candidate
    with an inherited date needs ``context_threshold`` too, one that names a single actor
    ``single_threshold`` (defaults: the model's). The type is
    the most probable non-``none`` class either way; the date :func:`choose_date`, the agent
    :func:`choose_agent`, the direction the lexicon's direction cues and same-side rule for the
    type's first rule, read in the act's clause.
    """
    rule = model.rule if rule is None else rule
    if not cands:
        return []
    lex = lexicon or load_lexicon()
    gaz = gazetteer or load_gazetteer()
    sides = gaz.sides
    thr = model.threshold if threshold is None else threshold
    context_thr = model.context_threshold if context_threshold is None else context_threshold
    single_thr = model.single_threshold if single_threshold is None else single_threshold
    probs = model.predict_proba([candidate_features(c, model.feature_set) for c in cands])
    out: list[Mention] = []
    for c, pr in zip(cands, probs, strict=True):
        k = int(np.argmax(pr[1:])) + 1 if len(pr) > 1 else 0
        p_event = float(pr[k]) if rule == "class" else 1.0 - float(pr[0])
        need = max(thr, context_thr) if c.inherited else thr
        codes = tuple(sorted({code for _, code in c.actors}))
        if len(codes) == 1:
            need = max(need, single_thr)
        if k == 0 or p_event < need:
            continue
        cat = model.classes[k]
        if cat == "retreat" and doubts_pullback(c.text, lex):
            # the rules' doubted pullback is an accusation (dated by its report), never a
            # pullback: "NATO has not yet seen signs of any Russian troop reduction"
            continue
        norm = " " * c.start + c.text  # article offsets (only the sentence's span is read)
        clauses = clause_spans(norm, c.start, c.end)
        (a, b, tx), i = choose_date(c, model, cat, clauses)
        word_at = c.offsets[i] if c.offsets else c.start
        clause = _clause_of(clauses, word_at, (c.start, c.end))
        trig = _act_rule(c, cat, word_at, norm, clause, lex)
        word_end = word_at + len(c.tokens[i]) if c.tokens else word_at
        hit = _Hit(word_at, word_end, trig, clause, timex=(a, b, tx), owns=True)
        mod = _modality(norm, hit, lex, c.published)
        if mod is None or (mod == "hypothetical" and not include_hypothetical):
            continue
        direction = _direction(trig, norm[clause[0] : clause[1]], codes, lex, sides)
        subject = _subject(norm, c, word_at, clause)
        out.append(
            Mention(
                article_id=c.article_id,
                published=c.published,
                start=c.start,
                end=c.end,
                trigger_start=word_at,
                trigger_end=word_end,
                trigger=trig.name,
                category=cat,
                mode=trig.mode,
                goldstein=trig.goldstein,
                direction=direction,
                modality=mod,
                date=tx.date,
                date_end=tx.date_end,
                precision=tx.precision,
                actors=codes,
                sentence=c.raw or c.text,
                timex=tx.text,
                confidence=round(p_event, 3),
                agent=subject[1],
                person=_subject_person(norm, gaz, c.actors, subject, word_at),
            )
        )
    return out


def cue_pieces(cue: str) -> tuple[str, ...]:
    """The quoted pieces of a gold cue (split on "..."), normalised and lower-cased."""
    return tuple(" ".join(normalize(piece).lower().split()) for piece in cue_split(cue))


def label(cand: Candidate, rows: Sequence[dict[str, Any]]) -> str | None:
    """Training label of a candidate from its article's gold rows.

    A row labels the candidate when every piece of its cue occurs in the sentence; the label is
    the row's preferred category (the first of ``a|b``). Required rows win over optional ones.
    ``None`` (leave the candidate out of training) when the matching row is hypothetical or has
    the wildcard category; ``"none"`` when no row's cue occurs.
    """
    text = " ".join(cand.text.lower().split())
    best: tuple[int, str | None] | None = None
    for row in rows:
        pieces = cue_pieces(str(row.get("cue", "")))
        if not pieces or not all(p in text for p in pieces):
            continue
        cat = str(row.get("category", "")).split("|")[0].strip()
        usable = cat in CATEGORIES and row.get("modality") != "hypothetical"
        rank = 0 if not bool(row.get("optional")) else 1
        pick = (rank, cat if usable else None)
        if best is None or pick[0] < best[0]:
            best = pick
    return NONE if best is None else best[1]


def second_pass(
    article: _ArticleLike,
    rule_mentions: Sequence[Mention],
    model: SentenceModel,
    *,
    threshold: float | None = None,
    review_floor: float | None = None,
    lexicon: Lexicon | None = None,
    gazetteer: Gazetteer | None = None,
    include_hypothetical: bool = False,
    find_timexes: Any = None,
    paragraph_hits: dict[tuple[int, int], list[tuple[int, int, Trigger]]] | None = None,
) -> tuple[list[Mention], list[Mention]]:
    """The second pass for one article: ``(proposals, below)``.

    ``proposals`` are the events proposed on the sentences no rule mention used
    (:func:`propose` with the model's thresholds, or ``threshold``), and, when the model's
    ``second_threshold`` is above 0, second types in the sentences the rules used
    (:func:`second_types`). ``below`` is empty unless
    ``review_floor`` is given; then it holds the proposals of the other candidates whose
    probability of an event, ``1 - p(none)``, is at least ``review_floor`` (whatever the
    threshold each needed, and whatever the model's rule):
    the events the pass saw but did not keep, for a curator to review.
    """
    if review_floor is not None and not 0.0 < review_floor <= 1.0:
        raise ValueError(f"review_floor = {review_floor!r}: expected a probability in (0, 1]")
    second = model.second_threshold > 0
    cands = candidates(
        article,
        rule_starts=(m.start for m in rule_mentions),
        gazetteer=gazetteer,
        find_timexes=find_timexes,
        lexicon=lexicon,
        rule_sentences=second,
        feature_set=model.feature_set,
        paragraph_hits=paragraph_hits,
    )
    opts: dict[str, Any] = {
        "lexicon": lexicon,
        "gazetteer": gazetteer,
        "include_hypothetical": include_hypothetical,
    }
    if second:
        ruled = [c for c in cands if c.ruled]
        cands = [c for c in cands if not c.ruled]
    kept = propose(cands, model, threshold=threshold, **opts)
    if second:
        kept += second_types(ruled, rule_mentions, model, **opts)
    if review_floor is None or not cands:
        return kept, []
    taken = {m.start for m in kept}
    wide = propose(
        cands,
        model,
        threshold=review_floor,
        context_threshold=review_floor,
        single_threshold=review_floor,
        rule="event",  # the floor is on the probability of any event, whatever the model's rule
        **opts,
    )
    return kept, [m for m in wide if m.start not in taken]


def second_types(
    cands: Sequence[Candidate],
    rule_mentions: Sequence[Mention],
    model: SentenceModel,
    *,
    threshold: float | None = None,
    **opts: Any,
) -> list[Mention]:
    """Second events in sentences the rules used: for each candidate (``ruled`` ones, from
    :func:`candidates` with ``rule_sentences``), the model's most probable type when its own
    probability is at least ``threshold`` (default: the model's ``second_threshold``; the same
    bar for inherited dates and single actors) and no rule mention of that sentence has the
    type ("met ... on Tuesday and warned that ..." where the rules found the meeting). Coded
    as :func:`propose` codes a proposal. Measured with ``benchmarks/train_sentence_model.py``
    (second stage of ``--loso``)."""
    thr = model.second_threshold if threshold is None else threshold
    if not cands or not 0.0 < thr <= 1.0:
        return []
    have: dict[int, set[str]] = {}
    for m in rule_mentions:
        have.setdefault(m.start, set()).add(m.category)
    # only a new type clearing the bar is coded (coding is the costly part)
    probs = model.predict_proba([candidate_features(c, model.feature_set) for c in cands])
    top = probs[:, 1:].argmax(axis=1) + 1 if probs.shape[1] > 1 else np.zeros(len(cands), int)
    cands = [
        c
        for c, k, pr in zip(cands, top, probs, strict=True)
        if k and pr[k] >= thr and model.classes[k] not in have.get(c.start, ())
    ]
    got = propose(
        cands,
        model,
        threshold=thr,
        rule="class",
        context_threshold=thr,
        single_threshold=thr,
        **opts,
    )
    return [p for p in got if p.category not in have.get(p.start, ())]
