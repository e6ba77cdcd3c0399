"""The load harness: Locust users that speak Streamlit's websocket protocol.

- `protocol`: one browser tab's session, without a browser (`Session`).
- `upload`: a file put into an `st.file_uploader` as the frontend does.
- `journeys`: what explorers, a presenter and an audience do in this app.
- `locustfile`: those as Locust users, each action a Locust request.
- `run`: `python -m bench.load.run` (`make load`): the phases, sampling, the JSON result.
- `report`: percentiles, summaries and the README's load table.

To time something by hand against a running server:

    from bench.load.protocol import Session
    s = Session("http://127.0.0.1:8501")
    print(s.open("").seconds)             # open `/`: request → script_finished
    print(s.rerun().seconds)              # rerun it as it is
    options = s.widget("as_of").proto.options
    print(s.set_value("as_of", string_array_value=[options[0]]).seconds)
"""
